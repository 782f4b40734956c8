"""What a browser sent is remembered in a signed cookie, not the session:
the send's request writes its posting and nothing else durable."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Posting
from campaigns.supporters import receipts
from tests.campaigns.conftest import letter_form, look_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


def test_a_send_writes_the_posting_alone_and_its_browser_sees_its_letters(
    visitor, campaign, vermont
):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    session_row = Session.objects.get().session_data
    with CaptureQueriesContext(connection) as queries:
        response = visitor.post(f"/c/{campaign.slug}/send/", form)
    # (The worker's acceptance runs in the request here: tasks are eager in tests.)
    session_writes = [
        query["sql"]
        for query in queries
        if "django_session" in query["sql"] and not query["sql"].startswith("SELECT")
    ]
    assert session_writes == []
    assert Session.objects.get().session_data == session_row
    assert receipts.COOKIE in response.cookies

    thanks = visitor.get(response["Location"]).content.decode()
    assert "Senator Sanders" in thanks


def test_a_forged_or_foreign_cookie_names_nothing(visitor, campaign, vermont):
    look_up(visitor, campaign)
    thanks = visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))["Location"]
    uuid = Posting.objects.get().uuid.hex
    stranger = type(visitor)()
    for forged in (f'["{uuid}"]', receipts.signing.dumps([uuid], salt="another purpose")):
        stranger.cookies[receipts.COOKIE] = forged
        html = stranger.get(thanks).content.decode()
        assert "Thank you!" in html and "Senator Sanders" not in html


def test_a_session_that_remembered_its_sends_before_the_cookie_still_counts(
    visitor, campaign, vermont
):
    look_up(visitor, campaign)
    thanks = visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))["Location"]
    # As a send before this release left the browser: the session names it, no cookie.
    del visitor.cookies[receipts.COOKIE]
    session = visitor.session
    session["submissions"] = [Posting.objects.get().uuid.hex]
    session.save()
    assert "Senator Sanders" in visitor.get(thanks).content.decode()
