"""Every request: an id, one log line and its count in the metrics."""

import logging
import time

from config import request_id
from operations import metrics

logger = logging.getLogger("constituent.requests")


def view_name(request):
    """The view's name, not the path: paths hold slugs, tokens and ids."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else "unmatched"


class RequestObserver:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_id.current.set(request_id.from_request(request))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = view_name(request)
            metrics.count_request(view, request.method, response.status_code, seconds)
            logger.info(
                "%s %s %s",
                request.method,
                view,
                response.status_code,
                extra={
                    "view": view,
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            response[request_id.HEADER] = request_id.current.get()
            return response
        finally:
            request_id.current.reset(token)
