"""Versions in the shared cache: a request reads them all at once and keeps
them to its end; outside a request every question goes to the cache."""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from config import versions


@pytest.fixture
def asked(monkeypatch):
    """The keys of each read of the cache, one list per round trip."""
    reads = []
    get_many = cache.get_many

    def counted(keys, *args, **kwargs):
        reads.append(sorted(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", counted)
    return reads


def start_request():
    # Without Django's own receivers (they close the database connection),
    # as its test client sends them.
    with without_closing_connections():
        request_started.send(sender=None)


def finish_request():
    with without_closing_connections():
        request_finished.send(sender=None)


@contextmanager
def without_closing_connections():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def in_request():
    start_request()
    yield
    finish_request()


def test_a_request_reads_every_version_in_one_round_trip_and_keeps_them(asked, in_request):
    versions.Kept("test:first-version", size=1)
    versions.Kept("test:second-version", size=1)
    first = versions.current("test:first-version")
    assert versions.current("test:second-version") is not None
    assert len(asked) == 1
    assert {"test:first-version", "test:second-version"} <= set(asked[0])

    cache.set("test:first-version", "set by another process")
    assert versions.current("test:first-version") == first
    assert len(asked) == 1


def test_a_change_is_seen_by_the_request_that_made_it_and_by_the_next(asked, in_request):
    versions.Kept("test:changed-version", size=1)
    before = versions.current("test:changed-version")
    versions.change("test:changed-version")
    made = versions.current("test:changed-version")
    assert made not in (None, before)
    assert cache.get("test:changed-version") == made

    cache.set("test:changed-version", "set by another process")
    finish_request()
    start_request()
    assert versions.current("test:changed-version") == "set by another process"


def test_outside_a_request_each_question_goes_to_the_cache(asked):
    versions.Kept("test:worker-version", size=1)
    versions.current("test:worker-version")
    cache.set("test:worker-version", "set by another process")
    assert versions.current("test:worker-version") == "set by another process"
    assert len(asked) == 2


def test_kept_rows_are_read_once_per_version_within_and_across_requests(in_request):
    kept = versions.Kept("test:kept-version", size=4)
    reads = []
    assert kept.get("key", lambda: reads.append(1) or ["row"]) == ["row"]
    assert kept.get("key", lambda: reads.append(1) or ["row"]) == ["row"]
    assert len(reads) == 1
    versions.change("test:kept-version")
    assert kept.get("key", lambda: reads.append(1) or ["new row"]) == ["new row"]


@pytest.mark.django_db
def test_a_session_brings_the_requests_versions_in_its_round_trip(asked, in_request):
    from config.sessions import SessionStore

    versions.Kept("test:session-version", size=1)
    session = SessionStore()
    session["step"] = 2
    session.save()
    del asked[:]

    assert SessionStore(session.session_key)["step"] == 2
    assert versions.current("test:session-version") is not None
    assert len(asked) == 1
    assert {session.cache_key, "test:session-version"} <= set(asked[0])


@pytest.mark.django_db
def test_a_session_missing_from_the_cache_is_read_from_its_row(in_request):
    from config.sessions import SessionStore

    session = SessionStore()
    session["step"] = 2
    session.save()
    cache.delete(session.cache_key)
    assert SessionStore(session.session_key)["step"] == 2
    assert cache.get(session.cache_key) == {"step": 2}
