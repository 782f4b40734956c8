"""The supporter's flow through the campaign page, with the ZIP backend."""

import dataclasses
import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from campaigns import tasks
from campaigns.delivery import pending
from campaigns.emails import CONFIRMATION_WINDOW
from campaigns.letters import PERSONAL_PLACEHOLDER
from campaigns.models import Campaign, Event, Letter, Submission, Supporter, VisitTally
from campaigns.supporters import page, submit, visits
from legislators.models import Chamber, ZipDistrict
from tests import factories
from tests.campaigns.conftest import BODY, BROWSER, letter_form, look_up, member, tasks_queued
from tests.support.processes import Redis

WITH_REDIS = hasattr(cache, "add_to_hash")
# A visit is a database write only without Redis as the cache.
VISIT_QUERIES = 0 if WITH_REDIS else 1
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


def test_page_shows_the_campaign_and_counts_a_visit(visitor, campaign):
    response = visitor.get(campaign.get_absolute_url() + "?source=newsletter&utm_medium=email")
    html = response.content.decode()
    assert "Shelter now" in html and "Write to Congress today." in html
    assert '<meta property="og:title" content="Shelter now">' in html
    assert "letters sent" not in html  # none yet: a count that persuades nobody is hidden
    visits.flush()  # with Redis as the cache, visits wait there for beat
    visit = VisitTally.objects.get()
    assert (visit.campaign, visit.source, visit.visits) == (campaign, "newsletter", 1)
    assert not Event.objects.exists()


def test_a_visitor_counts_once_however_many_views(visitor, campaign, vermont):
    visitor.get(campaign.get_absolute_url())
    visitor.get(campaign.get_absolute_url())
    look_up(visitor, campaign)
    visitor.get(campaign.get_absolute_url())  # the redirect after the lookup
    visits.flush()
    assert VisitTally.objects.get().visits == 1
    type(visitor)(headers={"User-Agent": BROWSER}).get(campaign.get_absolute_url())
    visits.flush()
    assert VisitTally.objects.get().visits == 2


def test_the_first_view_is_rendered_once_per_campaign_version(
    visitor, campaign, django_capture_on_commit_callbacks
):
    """Cached whole, it still carries each visitor's CSRF token and nonce and
    the figure of the moment, and shows an edit at once."""
    campaign.show_count_from = 1
    campaign.save()
    first = visitor.get(campaign.get_absolute_url())
    with mock.patch(
        "campaigns.supporters.page.render_to_string", wraps=page.render_to_string
    ) as rendered:
        second = type(visitor)(headers={"User-Agent": BROWSER}).get(campaign.get_absolute_url())
    # Only the figure's lines, if this figure was not shown before.
    assert {call.args[0] for call in rendered.call_args_list} <= {
        "campaigns/campaign.html#progress"
    }
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    nonce = re.compile(r'nonce="([^"]+)"')
    for response in (first, second):
        html = response.content.decode()
        assert token.search(html) and "mark-" not in html
        assert nonce.search(html).group(1) in response["Content-Security-Policy"]
    assert token.search(first.content.decode()).group(1) != token.search(
        second.content.decode()
    ).group(1)
    # The token works: the newcomer's lookup is accepted.
    newcomer = type(visitor)(headers={"User-Agent": BROWSER}, enforce_csrf_checks=True)
    html = newcomer.get(campaign.get_absolute_url()).content.decode()
    answer = newcomer.post(
        campaign.get_absolute_url(), {"csrfmiddlewaretoken": token.search(html).group(1)}
    )
    assert answer.status_code == 200

    factories.letters(2, campaign=campaign)
    cache.delete(submit.progress_key(campaign.pk))
    with django_capture_on_commit_callbacks(execute=True):
        campaign.title = "Shelter for all"
        campaign.save()
    html = (
        type(visitor)(headers={"User-Agent": BROWSER})
        .get(campaign.get_absolute_url())
        .content.decode()
    )
    assert "Shelter for all" in html and "<strong>2</strong> letters sent." in html


def test_bots_are_not_counted(visitor, campaign):
    visitor.get(campaign.get_absolute_url(), headers={"User-Agent": "Googlebot/2.1"})
    visits.flush()
    assert not Event.objects.exists() and not VisitTally.objects.exists()


def test_drafts_are_not_public(visitor, campaign):
    campaign.status = Campaign.Status.DRAFT
    campaign.save()
    assert visitor.get(campaign.get_absolute_url()).status_code == 404


def test_lookup_then_letter_then_send(
    visitor, campaign, vermont, django_capture_on_commit_callbacks
):
    response = look_up(visitor, campaign)
    assert response.status_code == 302
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    for name in ("Bernard Sanders", "Peter Welch", "Becca Balint"):
        assert name in page
    assert (
        "opening “Dear Senator Sanders,”, “Dear Senator Welch,”, “Dear Representative Balint,”"
        in page
    )
    assert "Please fund shelter for families in Burlington" in page

    form = letter_form(visitor, campaign)
    with django_capture_on_commit_callbacks() as callbacks:
        response = visitor.post(f"/c/{campaign.slug}/send/", form)
    assert response.status_code == 302
    # One delivery task for the three letters and the confirmation email,
    # queued only on commit.
    assert tasks_queued(callbacks) == [
        "campaigns.tasks.deliver_batch",
        "campaigns.tasks.send_confirmation",
    ]

    letters = Letter.objects.order_by("salutation")
    assert [item.salutation for item in letters] == [
        "Representative Balint",
        "Senator Sanders",
        "Senator Welch",
    ]
    assert all(item.status == Letter.Status.QUEUED for item in letters)
    assert letters[1].body.startswith("Dear Senator Sanders,\n\nPlease fund shelter")
    assert letters[1].body.endswith("Maya Ortiz")
    supporter = Supporter.objects.get()
    assert (supporter.email, supporter.zip_code) == ("maya@example.org", "05401-1234")
    submission = Submission.objects.get()
    assert submission.edited is False
    assert submission.lookup_source == "zipcode"

    thanks = visitor.get(response["Location"]).content.decode()
    assert "Thank you, Maya!" in thanks
    assert thanks.count("letter-status status-queued") == 3


def test_a_broker_outage_still_thanks_the_supporter_and_loses_nothing(
    visitor, campaign, vermont, private_broker, settings, django_capture_on_commit_callbacks
):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    private_broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(f"/c/{campaign.slug}/send/", form)
    assert response.status_code == 302
    assert "Thank you, Maya!" in visitor.get(response["Location"]).content.decode()
    assert Letter.objects.filter(status=Letter.Status.QUEUED).count() == 3

    # The broker comes back; beat's sweep hands over what never reached it.
    private_broker.start()
    settings.DELIVERY_PUBLISH_GRACE_SECONDS = 0
    tasks.publish_pending()
    assert private_broker.queue_length() == 1 + 1  # the letters (one batch) and the confirmation
    assert Letter.objects.filter(published_at__isnull=False).count() == 3
    tasks.publish_pending()  # handed over once, not again
    assert private_broker.queue_length() == 1 + 1


def test_letters_never_confirmed_show_as_expired_to_their_supporter(visitor, campaign, vermont):
    campaign.require_confirmation = True
    campaign.save()
    look_up(visitor, campaign)
    response = visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    assert pending.expire_unconfirmed(timezone.now() + CONFIRMATION_WINDOW) == 3
    page = visitor.get(response["Location"]).content.decode()
    assert page.count("letter-status status-expired") == 3
    assert "Not confirmed in time" in page


def test_every_letter_status_has_a_colour():
    """A badge with no colour rule is white text on nothing: invisible."""
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    for status in Letter.Status:
        assert f".badge.status-{status.value}" in css, status


def test_a_repeated_post_sends_nothing_twice(visitor, campaign, vermont):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    first = visitor.post(f"/c/{campaign.slug}/send/", form)
    second = visitor.post(f"/c/{campaign.slug}/send/", form)
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1
    assert Letter.objects.count() == 3


def test_a_form_key_from_one_campaign_neither_drops_nor_borrows_on_another(
    visitor, campaign, vermont
):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", form)
    other = Campaign.objects.create(
        slug="libraries-now",
        title="Libraries now",
        status=Campaign.Status.LIVE,
        letter_subject="Fund libraries",
        letter_body=BODY.replace("shelter for families", "the libraries"),
    )
    look_up(visitor, other)
    reused = letter_form(visitor, other) | {"key": form["key"]}
    response = visitor.post(f"/c/{other.slug}/send/", reused)
    assert response.status_code == 302
    submission = Submission.objects.get(campaign=other)
    assert response["Location"] == f"/c/{other.slug}/thanks/{submission.uuid}/"
    assert other.letters.count() == 3
    assert campaign.letters.count() == 3


def test_a_returning_supporter_sees_what_they_sent(visitor, campaign, vermont):
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))

    visitor.get(campaign.get_absolute_url() + "?change=1")
    look_up(visitor, campaign, email="maya@example.org")
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "You have already written on this campaign" in page
    assert "Senator Sanders, " in page
    assert "Send my letter" not in page
    assert Letter.objects.count() == 3


def test_another_browser_with_the_same_email_learns_nothing_and_sends_nothing(
    visitor, campaign, vermont
):
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))

    other_browser = type(visitor)(headers={"User-Agent": "Mozilla/5.0"})
    look_up(other_browser, campaign, email="maya@example.org", first_name="Eve")
    page = other_browser.get(campaign.get_absolute_url()).content.decode()
    assert "already written" not in page
    assert "Send my letters" in page  # as for an address that never wrote
    other_browser.post(f"/c/{campaign.slug}/send/", letter_form(other_browser, campaign))
    assert Letter.objects.count() == 3
    assert Supporter.objects.get().first_name == "Maya"


def test_edited_letters_are_marked_and_kept_as_written(visitor, campaign, vermont):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    form["body"] = "I am writing in my own words about shelter, because it matters here in Vermont."
    visitor.post(f"/c/{campaign.slug}/send/", form)
    assert Submission.objects.get().edited is True
    letter = Letter.objects.get(legislator__bioguide_id="B001318")
    assert letter.body == (
        "Dear Representative Balint,\n\n"
        "I am writing in my own words about shelter, because it matters here in Vermont."
    )


def test_an_emptied_letter_is_refused_with_a_message(visitor, campaign, vermont):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign) | {"body": "   "}
    response = visitor.post(f"/c/{campaign.slug}/send/", form)
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    form["body"] = "Thanks."
    response = visitor.post(f"/c/{campaign.slug}/send/", form)
    assert "Your letter is empty or nearly so" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_letter_still_holding_the_personal_line_placeholder_is_refused(
    visitor, campaign, vermont
):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    form["body"] = (
        f"I care about shelter in Vermont and ask you to fund it.\n\n{PERSONAL_PLACEHOLDER}"
    )
    response = visitor.post(f"/c/{campaign.slug}/send/", form)
    assert response.status_code == 400
    assert "still has the line in square brackets" in response.content.decode()
    assert not Letter.objects.exists()
    form["body"] = form["body"].replace(PERSONAL_PLACEHOLDER, "My sister slept in a shelter.")
    response = visitor.post(f"/c/{campaign.slug}/send/", form)
    assert response.status_code == 302
    assert Letter.objects.exists()


def test_html_in_names_and_letters_is_escaped(visitor, campaign, vermont):
    look_up(visitor, campaign, first_name="<script>alert(1)</script>")
    form = letter_form(visitor, campaign)
    form["body"] = "<img src=x onerror=alert(2)> " * 5
    response = visitor.post(f"/c/{campaign.slug}/send/", form)
    thanks = visitor.get(response["Location"]).content.decode()
    assert "<script>alert(1)" not in thanks
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in thanks
    letter = Letter.objects.first()
    assert "<img src=x onerror=alert(2)>" in letter.body  # stored as text, as typed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"zip_code": "SW1A 1AA"}, "zip_code", "Enter a 5-digit US ZIP code"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"first_name": ""}, "first_name", "Enter your first name."),
        ({"first_name": "x" * 101}, "first_name", "at most 100 characters"),
        ({"street": "Elm Street"}, "street", "with its number"),
        ({"state": "XX"}, "state", "Select a valid choice."),
        ({"phone": "12"}, "phone", "10-digit US phone number"),
        ({"first_name": "Maya\r\nBcc: spam@example.org"}, None, None),
    ],
)
def test_bad_input_gets_a_specific_message(visitor, campaign, vermont, changes, field, message):
    response = look_up(visitor, campaign, **changes)
    if field is None:
        # Line breaks are folded away, never carried into a name.
        assert response.status_code == 302
        assert (
            "\n" not in visitor.session[f"campaign:{campaign.uuid.hex}"]["supporter"]["first_name"]
        )
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="error_1_id_{field}"' in html  # tied to its field for screen readers


def test_unknown_zip_says_what_to_fix(visitor, campaign, vermont):
    response = look_up(visitor, campaign, state="NH", zip_code="03999")
    assert response.status_code == 200
    assert "couldn&#x27;t find ZIP code 03999" in response.content.decode()
    assert Event.objects.filter(kind=Event.Kind.LOOKUP_FAILED).count() == 1


def test_ambiguous_zip_asks_the_supporter_to_choose(visitor, campaign, vermont):
    ZipDistrict.objects.create(zcta="03101", state="NH", district=1)
    ZipDistrict.objects.create(zcta="03101", state="NH", district=2)
    member("P000614", "Chris", "Pappas", Chamber.HOUSE, "NH", district=1)
    member("G000606", "Maggie", "Goodlander", Chamber.HOUSE, "NH", district=2)
    member("S001181", "Jeanne", "Shaheen", Chamber.SENATE, "NH", senate_class=2)
    member("H001076", "Margaret", "Hassan", Chamber.SENATE, "NH", senate_class=3)

    look_up(visitor, campaign, city="Manchester", state="NH", zip_code="03101")
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Which district are you in?" in page
    choices = re.findall(r'name="district" id="[^"]+" value="([^"]+)"', page)
    assert len(choices) == 2
    # Each district with its representative: name, photo and party, never a bare code.
    assert "NH-1: Representative Chris Pappas" in page
    assert "NH-2: Representative Maggie Goodlander" in page
    assert page.count("Democrat ·") == 2
    assert page.count("/P000614.jpg") + page.count("/G000606.jpg") == 2
    assert "house.gov/representatives/find-your-representative" in page
    # Only ZIP codes are looked up here: no promise that a street address would help.
    assert "Enter your street address again" not in page

    # Sent without a choice: the same chooser, its error on top, linked to the choices.
    response = visitor.post(f"/c/{campaign.slug}/district/", {})
    page = response.content.decode()
    assert response.status_code == 400
    assert re.search(
        r'id="error-summary".*href="#district-1">Choose your district from the list',
        page,
        re.S,
    )
    assert 'action="/c/shelter-now/district/#error-summary"' in page

    visitor.post(f"/c/{campaign.slug}/district/", {"district": choices[1]})
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Maggie Goodlander" in page and "Chris Pappas" not in page
    assert "Jeanne Shaheen" in page


def test_closed_campaign_says_so_and_sends_nothing(visitor, campaign, vermont):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    campaign.status = Campaign.Status.CLOSED
    campaign.save()
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "This campaign has closed" in page
    visitor.post(f"/c/{campaign.slug}/send/", form)
    assert not Letter.objects.exists()


def test_thanks_page_shows_letters_only_to_the_sender(visitor, campaign, vermont):
    look_up(visitor, campaign)
    response = visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    stranger = type(visitor)().get(response["Location"]).content.decode()
    assert "Senator Sanders" not in stranger
    assert "Thank you!" in stranger


def test_first_visit_runs_a_fixed_number_of_queries(visitor, campaign, django_assert_num_queries):
    type(visitor)(headers={"User-Agent": BROWSER}).get(campaign.get_absolute_url())
    # Once the page, its figure and the campaign are kept: with Redis as the
    # cache, none (see below); else the visit's upsert. No session.
    with django_assert_num_queries(0 if WITH_REDIS else 1):
        visitor.get(campaign.get_absolute_url())


def test_a_campaign_not_yet_open_says_when(visitor, campaign, vermont):
    from datetime import timedelta

    from django.utils import timezone

    campaign.starts_at = timezone.now() + timedelta(days=2)
    campaign.save()
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "This campaign is not open for letters yet: it opens" in page
    assert "Find my members" not in page
    look_up(visitor, campaign)
    assert not visitor.session.get(f"campaign:{campaign.uuid.hex}", {}).get("lookup")


def test_step_two_queries_do_not_grow_with_members(
    visitor, campaign, vermont, django_assert_num_queries, settings
):
    # Sessions in the database, as on the embedded default (with Redis as the
    # cache they are read from there, one query fewer).
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    look_up(visitor, campaign)
    # session, visit upsert (not with Redis), the figure, members, earlier
    # letters; the campaign and its custom targets are kept since the lookup
    # read them.
    with django_assert_num_queries(4 + VISIT_QUERIES):
        visitor.get(campaign.get_absolute_url())


def test_the_progress_figure_counts_a_new_send_at_once(
    visitor, campaign, vermont, django_capture_on_commit_callbacks
):
    campaign.show_count_from = 3
    campaign.save()
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "letters sent" not in page  # 0 is below the threshold, and now cached
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign)
    # Run what happens on commit, but keep the tasks off the broker.
    with (
        mock.patch("celery.Celery.send_task"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        visitor.post(f"/c/{campaign.slug}/send/", form)
    stranger = type(visitor)(headers={"User-Agent": "Mozilla/5.0"})
    page = stranger.get(campaign.get_absolute_url()).content.decode()
    assert "<strong>3</strong> letters sent." in page


def test_the_chooser_names_the_address_service_that_would_look_up_a_street(settings):
    from campaigns.supporters.progress import address_service

    settings.DISTRICT_LOOKUP_BACKENDS = ["census", "zipcode"]
    assert address_service() == "the U.S. Census Bureau's address service"
    settings.DISTRICT_LOOKUP_BACKENDS = ["zipcode", "shapes"]
    assert address_service() == ""


@pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed")
def test_pages_and_sessions_survive_redis_going_down(
    private_redis_cache, visitor, campaign, vermont
):
    assert visitor.get(campaign.get_absolute_url()).status_code == 200
    look_up(visitor, campaign)
    thanks = visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))["Location"]

    private_redis_cache.stop()
    for url in ("/", campaign.get_absolute_url(), thanks):
        assert visitor.get(url).status_code == 200, url
    # A new visitor, a new lookup: the whole first step works without Redis.
    newcomer = type(visitor)(headers={"User-Agent": visitor.defaults["HTTP_USER_AGENT"]})
    assert newcomer.get(campaign.get_absolute_url()).status_code == 200
    assert look_up(newcomer, campaign, email="newcomer@example.org").status_code == 302
    assert "Becca Balint" in newcomer.get(campaign.get_absolute_url()).content.decode()

    # Redis comes back empty, as after a restart: the sender is still known.
    private_redis_cache.start()
    assert visitor.get(thanks).content.decode().count("letter-status status-") == 3


@pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed")
def test_a_browser_without_a_session_is_served_without_the_database(
    private_redis_cache, campaign, django_assert_num_queries, django_capture_on_commit_callbacks
):
    def newcomer():
        return type(Client())(headers={"User-Agent": BROWSER})

    campaign.show_count_from = 1
    campaign.save()
    factories.letters(2, campaign=campaign)
    newcomer().get(campaign.get_absolute_url())  # kept, and its figure
    with django_assert_num_queries(0):
        response = newcomer().get(campaign.get_absolute_url())
    assert "<strong>2</strong> letters sent." in response.content.decode()
    assert response.cookies["visited"]["path"] == campaign.get_absolute_url()
    visits.flush()
    assert VisitTally.objects.get().visits == 2

    with django_capture_on_commit_callbacks(execute=True):
        campaign.title = "Shelter for all"
        campaign.save()
    assert "Shelter for all" in newcomer().get(campaign.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        campaign.status = Campaign.Status.DRAFT
        campaign.save()
    assert newcomer().get(campaign.get_absolute_url()).status_code == 404


@pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed")
def test_a_process_reads_a_rendering_from_redis_once_and_never_serves_a_replaced_one(
    private_redis_cache, campaign, monkeypatch
):
    def newcomer_html():
        client = Client(headers={"User-Agent": BROWSER})
        return client.get(campaign.get_absolute_url()).content.decode()

    monkeypatch.setattr(page, "_served", page.OrderedDict())
    newcomer_html()  # rendered and kept
    key = page.page_key(campaign.slug)
    with mock.patch.object(page, "cache", mock.Mock(wraps=cache)) as spied:
        assert "Shelter now" in newcomer_html()
    assert spied.get.call_count == 0

    # Another process renders the page anew (a deploy, an expiry): its stamp changes.
    kept = cache.get(key)
    replaced = dataclasses.replace(
        kept, html=kept.html.replace("Shelter now", "Shelter today"), stamp="another"
    )
    cache.set_many({key: replaced, page.stamp_key(key): replaced.stamp})
    html = newcomer_html()
    assert "Shelter today" in html and "Shelter now" not in html
