"""The figures a process counts as it goes: requests and district lookups.

Under gunicorn each worker process counts its own; with
PROMETHEUS_MULTIPROC_DIR set (gunicorn.conf.py sets it) they share files
there, and /metrics adds them up. The figures read from the database and the
broker at scrape time are in operations/figures.py.
"""

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "constituent_http_requests",
    "HTTP requests answered, by view, method and status.",
    ["view", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "constituent_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
LOOKUPS = Counter(
    "constituent_district_lookups",
    "District lookup attempts by backend and outcome (found, not_found, error).",
    ["backend", "outcome"],
)


def count_request(view, method, status, seconds):
    REQUESTS.labels(view, method, str(status)).inc()
    REQUEST_SECONDS.labels(view).observe(seconds)


def count_lookup(backend, outcome):
    LOOKUPS.labels(backend, outcome).inc()
