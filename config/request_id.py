"""A request id that follows a request into the Celery tasks it causes.

The web sets it for each request (taking a load balancer's X-Request-ID when
it is a sane token, else a new one) and sends it back in the answer; every
task published while handling the request carries it in a message header;
the worker that runs the task takes it up again, and so do the tasks that
task publishes (retries included). Log lines show it (config.logs).
"""

import re
import uuid
from contextvars import ContextVar

from celery import signals

HEADER = "X-Request-ID"
# A balancer's id is trusted only in this shape: it ends up in every log line.
ACCEPTABLE = re.compile(r"[A-Za-z0-9._-]{8,64}")

current = ContextVar("request_id", default=None)


def from_request(request):
    offered = request.headers.get(HEADER, "")
    return offered if ACCEPTABLE.fullmatch(offered) else uuid.uuid4().hex


def stamp_message(headers=None, **_):
    """before_task_publish: the id of the request (or task) publishing this one."""
    request_id = current.get()
    if headers is not None and request_id and "request_id" not in headers:
        headers["request_id"] = request_id


def adopt_in_task(task=None, **_):
    """task_prerun: the running task's log lines carry its message's id (or none)."""
    request_id = task.request.get("request_id") if task is not None else None
    current.set(request_id if isinstance(request_id, str) else None)


def connect_to_celery():
    signals.before_task_publish.connect(stamp_message, weak=False)
    signals.task_prerun.connect(adopt_in_task, weak=False)
