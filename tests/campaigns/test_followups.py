"""Did the office answer? The beat task asks once, only after the configured
weeks; the answer links are signed, single-use and expire; the answers are
counted per office and campaign."""

import json
import re
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import mail, signing
from django.core.management import call_command
from django.utils import timezone

from campaigns import followups, tasks
from campaigns.models import FollowUp, Letter
from tests import factories
from tests.campaigns.conftest import tasks_queued

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
WEEK = timedelta(weeks=1)
# Three weeks after delivery, and a day.
DUE = 3 * WEEK + timedelta(days=1)


@pytest.fixture(autouse=True)
def three_weeks(settings):
    settings.FOLLOW_UP_WEEKS = 3
    settings.FOLLOW_UP_LINK_DAYS = 30


@pytest.fixture
def campaign():
    return factories.campaign(slug="clean-water", title="Clean water now")


@pytest.fixture
def senator():
    return factories.legislator("TX", last_name="Cornyn", official_full_name="John Cornyn")


def delivered(campaign, office, ago, **fields):
    return factories.letter(
        campaign,
        office,
        status=Letter.Status.DELIVERED,
        channel="cwc",
        delivered_at=NOW - ago,
        **fields,
    )


def asked(now=NOW):
    """Run the beat task's work at `now`; the email tasks it queued, run."""
    groups = followups.ask_due(now)
    for ids in groups:
        tasks.ask_whether_offices_replied(ids)
    return groups


def links(message):
    return dict(re.findall(r"- (.+?): (http\S+)", message.body))


class TestAsking:
    def test_asked_once_and_only_after_the_configured_weeks(self, campaign, senator):
        letter = delivered(campaign, senator, ago=3 * WEEK - timedelta(hours=1))

        assert asked() == []
        assert asked(NOW + timedelta(hours=2)) != []
        assert asked(NOW + timedelta(hours=3)) == []
        assert asked(NOW + 2 * WEEK) == []

        assert FollowUp.objects.get().letter == letter
        [message] = mail.outbox
        assert message.to == [letter.supporter.email]
        assert message.subject == "Did Senator Cornyn's office reply?"
        assert set(links(message)) == {"Yes, the office replied", "No reply yet"}

    def test_one_email_per_supporter_naming_each_office(self, campaign, senator):
        post = factories.submission(campaign)
        representative = factories.legislator("TX", 7, last_name="Fletcher")
        for office in (senator, representative):
            delivered(campaign, office, ago=DUE, submission=post)

        asked()

        [message] = mail.outbox
        assert message.subject == "Did the offices you wrote to reply?"
        assert "Did Representative Fletcher's office reply?" in message.body
        assert "Did Senator Cornyn's office reply?" in message.body
        assert len(re.findall(r"http\S+", message.body)) == 4

    def test_not_delivered_or_delivered_long_before_is_not_asked(self, campaign, senator):
        factories.letter(campaign, senator, status=Letter.Status.FAILED)
        factories.letter(campaign, senator, status=Letter.Status.QUEUED)
        delivered(campaign, senator, ago=3 * WEEK + followups.LOOKBACK + timedelta(hours=1))

        assert asked() == [] and not FollowUp.objects.exists()

    def test_zero_weeks_turns_the_question_off(self, settings, campaign, senator):
        settings.FOLLOW_UP_WEEKS = 0
        delivered(campaign, senator, ago=DUE)

        assert asked() == [] and not mail.outbox

    def test_a_question_another_run_inserted_first_is_not_asked_again(self, campaign, senator):
        letter = delivered(campaign, senator, ago=DUE)
        FollowUp.objects.create(
            letter=letter, campaign=campaign, delivered_at=letter.delivered_at, asked_at=NOW
        )

        with mock.patch.object(followups, "due_letters", return_value=Letter.objects.all()):
            assert followups.ask_due(NOW) == []

    def test_each_run_reads_on_from_the_latest_delivery_asked_about(self, campaign, senator):
        first = delivered(campaign, senator, ago=DUE)
        asked()
        later = delivered(campaign, senator, ago=DUE - timedelta(hours=1))
        # Delivered before the latest asked about: a run has read past it.
        earlier = delivered(campaign, senator, ago=DUE + timedelta(hours=1))

        assert set(followups.due_letters(NOW)) == {later}
        assert asked() != [] and set(FollowUp.objects.values_list("letter", flat=True)) == {
            first.pk,
            later.pk,
        }
        assert not FollowUp.objects.filter(letter=earlier).exists()

    def test_the_beat_task_queues_the_emails_and_is_scheduled(
        self, campaign, senator, django_capture_on_commit_callbacks
    ):
        from config.celery import app

        delivered(campaign, senator, ago=DUE)

        with django_capture_on_commit_callbacks() as callbacks:
            tasks.ask_about_replies()

        assert tasks_queued(callbacks) == ["campaigns.tasks.ask_whether_offices_replied"]
        schedule = app.conf.beat_schedule["ask-about-replies"]
        assert schedule["task"] == "campaigns.tasks.ask_about_replies"


class TestLinks:
    @pytest.fixture
    def question(self, campaign, senator):
        delivered(campaign, senator, ago=DUE)
        asked()
        return links(mail.outbox[0])

    def test_a_get_only_shows_the_answer_and_a_post_records_it_once(self, client, question):
        url = question["Yes, the office replied"]

        page = client.get(url)
        assert page.status_code == 200
        assert "Did Senator Cornyn's office reply?" in page.content.decode()
        assert FollowUp.objects.get().answered_at is None

        assert "We noted your answer" in client.post(url).content.decode()
        again = client.post(question["No reply yet"])
        assert "You have answered already" in again.content.decode()
        assert "Yes, the office replied" in again.content.decode()
        assert FollowUp.objects.get().answer == FollowUp.Answer.REPLIED

    def test_a_tampered_link_is_refused_with_a_page(self, client, question):
        url = question["No reply yet"]
        token = url.rstrip("/").rpartition("/")[2]
        payload = signing.loads(token, salt=followups.SALT)
        forged = signing.dumps({**payload, "a": "replied"}, salt="another.salt")

        for bad in (url.replace(token, forged), url.replace(token, token[:-3] + "abc")):
            response = client.post(bad)
            assert response.status_code == 400
            assert "This link doesn" in response.content.decode()
        assert FollowUp.objects.get().answered_at is None

    def test_a_link_naming_no_such_question_or_answer_is_refused(self, client, question):
        follow_up = FollowUp.objects.get()
        for payload in ({"f": "0" * 32, "a": "replied"}, {"f": follow_up.uuid.hex, "a": "maybe"}):
            token = signing.dumps(payload, salt=followups.SALT)
            assert client.post(f"/replied/{token}/").status_code == 400

    def test_an_expired_link_is_refused_with_a_page(self, client, campaign, senator):
        delivered(campaign, senator, ago=DUE)
        long_ago = (NOW - timedelta(days=31)).timestamp()
        with mock.patch("django.core.signing.time.time", return_value=long_ago):
            asked()

        response = client.post(links(mail.outbox[0])["Yes, the office replied"])

        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
        assert FollowUp.objects.get().answered_at is None


class TestCounted:
    def test_answers_per_office_and_campaign_on_the_dashboard_and_in_json(
        self, client, campaign, senator
    ):
        representative = factories.legislator("TX", 7, official_full_name="Lizzie Fletcher")
        answers = [
            (senator, FollowUp.Answer.REPLIED),
            (senator, FollowUp.Answer.REPLIED),
            (senator, FollowUp.Answer.NO_REPLY),
            (representative, FollowUp.Answer.NO_REPLY),
            (representative, ""),
        ]
        for office, answer in answers:
            letter = delivered(campaign, office, ago=DUE)
            FollowUp.objects.create(
                letter=letter,
                campaign=campaign,
                delivered_at=letter.delivered_at,
                asked_at=NOW,
                answer=answer,
                answered_at=NOW if answer else None,
            )
        out = StringIO()

        call_command("campaign_stats", "clean-water", "--json", stdout=out)

        replies = json.loads(out.getvalue())["replies"]
        assert {key: replies[key] for key in ("asked", "replied", "no_reply")} == {
            "asked": 5,
            "replied": 2,
            "no_reply": 2,
        }
        assert replies["by_office"] == [
            {"name": "John Cornyn", "seat": "TX Senate", "asked": 3, "replied": 2, "no_reply": 1},
            {"name": "Lizzie Fletcher", "seat": "TX-7", "asked": 2, "replied": 0, "no_reply": 1},
        ]
        client.force_login(User.objects.create_user("staff", is_staff=True))
        html = client.get("/staff/clean-water/").content.decode()
        section = re.search(r'id="replies-heading".*?</section>', html, re.S).group()
        assert "5 were asked: 2 said the office replied, 2 not yet." in section
        assert "John Cornyn" in section and "Lizzie Fletcher" in section
