"""Sessions saved in one statement when they change (config/sessions.py)."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session

from config.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_changed_session_is_one_update_and_reads_back(django_assert_num_queries):
    session = SessionStore()
    session["submissions"] = ["a"]
    session.save()
    session["submissions"] = ["a", "b"]
    with django_assert_num_queries(1) as queries:
        session.save()
    assert queries.captured_queries[0]["sql"].startswith("UPDATE")
    row = Session.objects.get(session_key=session.session_key)
    assert row.get_decoded() == {"submissions": ["a", "b"]}
    assert SessionStore(session.session_key)["submissions"] == ["a", "b"]


def test_a_session_gone_meanwhile_is_not_written_again():
    session = SessionStore()
    session["step"] = 1
    session.save()
    Session.objects.all().delete()
    session["step"] = 2
    with pytest.raises(UpdateError):
        session.save()
    assert not Session.objects.exists()


def test_a_new_session_is_created_as_django_creates_it():
    session = SessionStore()
    session["step"] = 1
    session.save()
    assert SessionStore(session.session_key)["step"] == 1
