"""gunicorn's settings for Constituent: `gunicorn config.wsgi` reads this file.

PORT and WEB_CONCURRENCY choose the port and the number of worker processes.
The worker processes count requests into files under PROMETHEUS_MULTIPROC_DIR,
which /metrics adds up; the folder is emptied when gunicorn starts and a
dead worker's files are marked so its gauges disappear. gunicorn's own lines
use the project's LOGGING format; each request's line comes from the app
(operations/middleware.py), which names the view rather than the path, so
gunicorn's access log stays off.
"""

import os
import shutil
import tempfile
from pathlib import Path

from config import logs

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
# A request that takes longer than this is a bug or an outage; the worker is replaced.
timeout = 60
graceful_timeout = 30
# Behind a load balancer that keeps connections open.
keepalive = 5
accesslog = None

metrics_folder = Path(
    os.environ.setdefault(
        "PROMETHEUS_MULTIPROC_DIR", str(Path(tempfile.gettempdir()) / "constituent-metrics")
    )
)

_logging = logs.configuration(
    level=os.environ.get("LOG_LEVEL", "INFO"),
    style=os.environ.get("LOG_FORMAT", "json"),
)
_logging["loggers"] |= {
    "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
    # Its lines hold client addresses and full paths (tokens, ids): off.
    "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
}
logconfig_dict = _logging


def on_starting(server):
    # Counts from an earlier run of the server would be added to this one's.
    shutil.rmtree(metrics_folder, ignore_errors=True)
    metrics_folder.mkdir(parents=True)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
