"""Errors to Sentry (when SENTRY_DSN is set), with nothing personal in them.

The SDK is told to collect no user, request body, query data, SQL values or
local variables (a letter, an address or an email would be in them); what it
still gathers passes through `scrub`, which drops the query string, cookies
and all but a few headers, and adds the request id that the logs carry.
"""

import sentry_sdk

from config import request_id

# Request headers worth keeping for a diagnosis; the rest may identify a person.
KEEP_HEADERS = {"Content-Type", "Content-Length", "Host", "User-Agent", "X-Request-Id"}


def start(dsn, environment):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        before_send=scrub,
        before_breadcrumb=drop_queries,
    )


def scrub(event, hint):
    request = event.get("request")
    if request:
        for key in ("data", "query_string", "cookies", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.title() in KEEP_HEADERS}
        if "url" in request:
            request["url"] = request["url"].split("?")[0]
    event.pop("user", None)
    if current := request_id.current.get():
        event.setdefault("tags", {})["request_id"] = current
    return event


# SQL breadcrumbs can carry the values written (a supporter's address);
# Redis ones the keys read (a session key is a credential).
DROPPED_BREADCRUMBS = {"query", "redis"}


def drop_queries(crumb, hint):
    return None if crumb.get("category") in DROPPED_BREADCRUMBS else crumb
