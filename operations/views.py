import os

from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from operations.access import may_read_metrics
from operations.figures import SharedFigures


def metrics(request):
    """Prometheus text format: this node's counters, then the shared figures."""
    if not may_read_metrics(request):
        return HttpResponse(
            "Metrics need the METRICS_TOKEN as a bearer token, or an address in "
            "METRICS_ALLOWED_NETWORKS.\n",
            status=403,
            content_type="text/plain",
        )
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every gunicorn worker's counters, added up from their files.
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    shared = CollectorRegistry()
    shared.register(SharedFigures())
    body = generate_latest(counted) + generate_latest(shared)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
