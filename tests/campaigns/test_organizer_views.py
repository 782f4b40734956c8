from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from campaigns import tasks
from campaigns.letters import PERSONAL_PLACEHOLDER
from campaigns.models import Campaign, ReleaseImport
from campaigns.permissions import ORGANIZERS_GROUP
from tests.campaigns.conftest import edit_form_data

pytestmark = pytest.mark.django_db

RELEASE = """Harbor Alliance Urges Congress to Pass the Clean Harbors Act

Bill would fund cleanup of 40 polluted ports

PORTLAND, Maine (March 3, 2025) – The Harbor Alliance today urged Congress to pass H.R. 4521, \
the Clean Harbors Act, which would fund the cleanup of 40 polluted ports.

"Our harbors feed our towns. We are calling on Congress to pass the Clean Harbors Act this \
spring," said Dana Reyes, executive director of the Harbor Alliance.

The bill has 52 cosponsors in the House.

###
"""


def organizer(name="olivia"):
    user = User.objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    return user


@pytest.fixture
def olivia(client):
    user = organizer()
    client.force_login(user)
    return user


def draft(client):
    response = client.post("/organize/new/", {"text": RELEASE, "url": ""})
    assert response.status_code == 302, response.content.decode()
    return Campaign.objects.get()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/organize/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_who_is_not_an_organizer_is_refused(client):
    client.force_login(User.objects.create_user("sam", password="pw-for-tests-only"))
    assert client.get("/organize/new/").status_code == 403


def test_release_becomes_a_draft(client, olivia):
    campaign = draft(client)
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.owner == olivia
    assert campaign.organization == "Harbor Alliance"
    assert campaign.targets == Campaign.Targets.CONGRESS
    assert campaign.bills == ["H.R. 4521"]
    assert campaign.topic == "Water Resources Development"  # read from the release
    assert "{legislator_salutation}" in campaign.letter_body
    page = client.get(f"/organize/{campaign.slug}/").content.decode()
    assert "Dana Reyes" in page  # the facts beside the draft


def test_empty_release_is_refused(client, olivia):
    response = client.post("/organize/new/", {"text": "  ", "url": ""})
    assert "Paste the text of the release or give its web address." in response.content.decode()
    assert not Campaign.objects.exists()


def test_unknown_merge_fields_are_rejected_on_save(client, olivia):
    campaign = draft(client)
    page = client.get(f"/organize/{campaign.slug}/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(letter_body="Dear {legislator_salutation}, I am {firstname}.", targets="congress")
    for name in ("target_members", "image", "logo"):  # not text: uploads are posted as files
        data.pop(name, None)
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert response.status_code == 200
    assert "unknown merge fields {firstname}" in response.content.decode()
    data.update(letter_body="Dear {legislator_salutation}, I am {first_name}.", letter_subject="")
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert "This field is required." in response.content.decode()


def test_a_locked_letter_cannot_keep_the_placeholder_for_the_supporters_sentence(client, olivia):
    campaign = draft(client)
    assert PERSONAL_PLACEHOLDER in campaign.letter_body
    page = client.get(f"/organize/{campaign.slug}/")
    data = edit_form_data(page)
    data.update(targets="congress")
    data.pop("target_members", None)
    data.pop("letter_editable")  # an unchecked box: supporters may not edit the letter
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert response.status_code == 200
    assert "Supporters cannot edit this letter" in response.content.decode()
    data["letter_body"] = data["letter_body"].replace(PERSONAL_PLACEHOLDER, "")
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert "Supporters cannot edit this letter" not in response.content.decode()


def test_the_draft_page_shows_candidate_asks_with_confidences_and_warnings(client, olivia):
    campaign = draft(client)
    page = client.get(f"/organize/{campaign.slug}/").content.decode()
    candidates = campaign.release_facts["candidate_asks"]
    assert len(candidates) == 3
    for candidate in candidates:
        assert f"{round(candidate['confidence'] * 100)}%" in page
    assert page.count("Use this ask") == 2  # the first is the one in the draft
    assert "more than a year before today" in page  # the release is dated March 3, 2025
    facts = campaign.release_facts
    for field in ("headline", "date", "targets", "call_to_action"):
        assert f"({round(facts[field + '_confidence'] * 100)}% sure)" in page, field


def test_the_draft_page_warns_when_the_letter_says_a_sentence_twice(client, olivia):
    campaign = draft(client)
    sentence = "The bill would fund the cleanup of forty polluted ports."
    campaign.letter_body = campaign.letter_body.replace(
        PERSONAL_PLACEHOLDER, f"{sentence} {sentence} {PERSONAL_PLACEHOLDER}"
    )
    campaign.save()
    page = client.get(f"/organize/{campaign.slug}/").content.decode()
    assert "The letter says this twice" in page


def test_the_organizer_can_draft_again_around_another_candidate_ask(client, olivia):
    campaign = draft(client)
    other = campaign.release_facts["candidate_asks"][1]["sentence"]
    response = client.post(f"/organize/{campaign.slug}/ask/", {"sentence": other})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.release_facts["call_to_action"].startswith(other)
    assert campaign.release_facts["candidate_asks"][0]["sentence"] == other
    assert not any("not sure which sentence" in note for note in campaign.release_facts["notes"])
    response = client.post(
        f"/organize/{campaign.slug}/ask/", {"sentence": "Invented."}, follow=True
    )
    assert "not one of the candidate asks" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.release_facts["candidate_asks"][0]["sentence"] == other


def test_publish_close_reopen_clone(client, olivia):
    campaign = draft(client)
    client.post(f"/organize/{campaign.slug}/publish/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE and campaign.published_at
    assert client.get(campaign.get_absolute_url()).status_code == 200

    client.post(f"/organize/{campaign.slug}/close/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED

    client.post(f"/organize/{campaign.slug}/reopen/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE

    response = client.post(f"/organize/{campaign.slug}/clone/")
    copy = Campaign.objects.exclude(pk=campaign.pk).get()
    assert response["Location"] == f"/organize/{copy.slug}/"
    assert copy.status == Campaign.Status.DRAFT
    assert copy.letter_body == campaign.letter_body
    assert copy.uuid != campaign.uuid


def test_unknown_action_is_not_found(client, olivia):
    campaign = draft(client)
    assert client.post(f"/organize/{campaign.slug}/explode/").status_code == 404


def test_another_organizer_cannot_see_or_change_it(client, olivia):
    campaign = draft(client)
    client.force_login(organizer("mallory"))
    assert client.get(f"/organize/{campaign.slug}/").status_code == 404
    assert client.post(f"/organize/{campaign.slug}/publish/").status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert "Clean Harbors" not in client.get("/organize/").content.decode()


def test_preview_shows_the_letter_for_a_sample_district(client, olivia):
    from legislators.models import Chamber, Legislator

    Legislator.objects.create(
        bioguide_id="K000001",
        first_name="Kim",
        last_name="Kale",
        chamber=Chamber.HOUSE,
        state="ME",
        district=1,
        in_office=True,
    )
    Legislator.objects.create(
        bioguide_id="K000002",
        first_name="Lee",
        last_name="Lund",
        chamber=Chamber.SENATE,
        state="ME",
        senate_class=1,
        in_office=True,
    )
    campaign = draft(client)
    page = client.get(f"/organize/{campaign.slug}/preview/").content.decode()
    assert "To Representative Kale" in page and "To Senator Lund" in page
    assert "Dear Representative Kale," in page


def edit_data(client, campaign, **changes):
    form = client.get(f"/organize/{campaign.slug}/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    for name in ("target_members", "image", "logo"):  # not text: uploads are posted as files
        data.pop(name, None)
    data.update(
        {
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "0",
            "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "20",
        }
    )
    data.update(changes)
    return data


def test_organizer_adds_an_office_by_email(client, olivia):
    campaign = draft(client)
    data = edit_data(
        client,
        campaign,
        **{
            "targets-0-name": "Office of the Governor",
            "targets-0-salutation": "Governor Mills",
            "targets-0-email": "governor@maine.example",
        },
    )
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert response.status_code == 302, response.context["targets"].errors
    target = campaign.custom_targets.get()
    assert (target.salutation, target.email) == ("Governor Mills", "governor@maine.example")


def test_a_bad_email_target_is_refused_with_a_message(client, olivia):
    campaign = draft(client)
    data = edit_data(
        client,
        campaign,
        **{"targets-0-name": "Governor", "targets-0-salutation": "Governor Mills",
           "targets-0-email": "not an email"},
    )  # fmt: skip
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert "Enter a valid email address." in response.content.decode()
    assert not campaign.custom_targets.exists()


def test_chosen_members_by_bioguide_id(client, olivia):
    from legislators.models import Chamber, Legislator

    chosen = Legislator.objects.create(
        bioguide_id="K000001", first_name="Kim", last_name="Kale", chamber=Chamber.HOUSE,
        state="ME", district=1,
    )  # fmt: skip
    campaign = draft(client)
    data = edit_data(client, campaign, targets="members", member_ids="k000001, X999999")
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert "No member of Congress in office has the bioguide id X999999." in (
        response.content.decode()
    )
    data["member_ids"] = "k000001"
    assert client.post(f"/organize/{campaign.slug}/", data).status_code == 302
    assert list(campaign.target_members.all()) == [chosen]


class TestReleaseByAddress:
    """A release given by address is fetched by a worker; the organizer's
    browser waits on a page that refreshes itself."""

    @pytest.fixture
    def release_site(self, settings):
        from tests.support.web_server import WebServer, page

        settings.RELEASE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
        with WebServer({"/release": page(RELEASE, "text/plain")}) as web:
            yield web

    def start(self, client, url, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as enqueued:
            response = client.post("/organize/new/", {"text": "", "url": url})
        assert response.status_code == 302
        release_import = ReleaseImport.objects.get()
        assert response["Location"] == f"/organize/new/{release_import.uuid}/"
        assert len(enqueued) == 1  # the task, sent once the row is committed
        return release_import

    def test_the_page_is_fetched_by_the_worker_not_the_request(
        self, client, olivia, release_site, django_capture_on_commit_callbacks
    ):
        release_import = self.start(
            client, release_site.url("/release"), django_capture_on_commit_callbacks
        )
        assert release_site.requests == []  # the web request fetched nothing
        waiting = client.get(f"/organize/new/{release_import.uuid}/")
        assert waiting.status_code == 200
        assert '<meta http-equiv="refresh" content="2">' in waiting.content.decode()

        tasks.import_release(release_import.pk)
        ready = client.get(f"/organize/new/{release_import.uuid}/")
        campaign = Campaign.objects.get()
        assert ready.status_code == 302
        assert ready["Location"] == f"/organize/{campaign.slug}/"
        assert campaign.owner == olivia
        assert campaign.release_url == release_site.url("/release")
        assert campaign.bills == ["H.R. 4521"]

    def test_a_failed_fetch_says_why_and_stops_refreshing(
        self, client, olivia, release_site, settings, django_capture_on_commit_callbacks
    ):
        settings.RELEASE_FETCH_ALLOWED_HOSTS = []
        release_import = self.start(
            client, release_site.url("/release"), django_capture_on_commit_callbacks
        )
        tasks.import_release(release_import.pk)
        page = client.get(f"/organize/new/{release_import.uuid}/").content.decode()
        assert "We could not fetch that address. Check it, or paste the release text" in page
        assert "http-equiv" not in page
        assert not Campaign.objects.exists()
        assert release_site.requests == []

    def test_a_fetch_no_worker_took_ends_with_a_message(self, client, olivia):
        release_import = ReleaseImport.objects.create(organizer=olivia, url="https://x.example/")
        ReleaseImport.objects.update(created_at=timezone.now() - timedelta(minutes=10))
        page = client.get(f"/organize/new/{release_import.uuid}/").content.decode()
        assert "taking far too long" in page
        assert "http-equiv" not in page

    def test_fetches_are_limited_per_organizer(
        self, client, olivia, settings, django_capture_on_commit_callbacks
    ):
        settings.RELEASE_FETCHES_PER_HOUR = 2
        for _ in range(2):
            with django_capture_on_commit_callbacks():
                response = client.post("/organize/new/", {"url": "https://news.example.org/r"})
            assert response.status_code == 302
        response = client.post("/organize/new/", {"url": "https://news.example.org/r"})
        assert response.status_code == 429
        assert "Paste the release text instead" in response.content.decode()
        assert ReleaseImport.objects.count() == 2
        assert client.post("/organize/new/", {"text": RELEASE}).status_code == 302

    def test_another_organizer_cannot_see_the_import(self, client, olivia):
        release_import = ReleaseImport.objects.create(
            organizer=organizer("oscar"), url="https://x.example/"
        )
        assert client.get(f"/organize/new/{release_import.uuid}/").status_code == 404


class TestDatesAreBounded:
    """One date far out (year 9999 in New York is year 10000 in UTC, which
    PostgreSQL stores and psycopg cannot read back) must not reach the table."""

    def edit(self, client, campaign, **dates):
        page = client.get(f"/organize/{campaign.slug}/")
        data = edit_form_data(page)
        data.pop("target_members", None)
        data.update({"targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0", **dates})
        return client.post(f"/organize/{campaign.slug}/", data)

    @pytest.mark.parametrize(
        "dates",
        [
            {"ends_at": "9999-12-31T23:59"},
            {"starts_at": "0001-01-01T00:00"},
            {"starts_at": "1999-12-31T23:59"},
            {"ends_at": "2101-01-01T00:00"},
        ],
    )
    def test_a_date_out_of_range_is_refused_with_a_message(self, client, olivia, dates):
        campaign = draft(client)
        response = self.edit(client, campaign, **dates)
        assert response.status_code == 200
        assert "Enter a date between 2000 and 2100." in response.content.decode()
        campaign.refresh_from_db()
        assert campaign.starts_at is None and campaign.ends_at is None
        assert client.get("/organize/").status_code == 200
        assert client.get("/").status_code == 200

    def test_dates_in_range_are_kept(self, client, olivia):
        campaign = draft(client)
        response = self.edit(client, campaign, ends_at="2100-12-31T23:59")
        assert response.status_code == 302
        campaign.refresh_from_db()
        assert timezone.localtime(campaign.ends_at).year == 2100

    def test_the_inputs_say_the_range(self, client, olivia):
        campaign = draft(client)
        page = client.get(f"/organize/{campaign.slug}/").content.decode()
        assert 'min="2000-01-01T00:00"' in page
        assert 'max="2100-12-31T23:59"' in page


class TestNothingOfAnotherOrganizersDraft:
    def edit(self, client, campaign, **changes):
        page = client.get(f"/organize/{campaign.slug}/")
        data = edit_form_data(page)
        data.pop("target_members", None)
        data.update({"targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0", **changes})
        return client.post(f"/organize/{campaign.slug}/", data)

    def test_a_taken_address_gets_the_same_answer_whoever_holds_it(self, client, olivia):
        mine = draft(client)
        theirs = Campaign.objects.create(
            slug="secret-merger-plan",
            title="Secret merger plan",
            owner=organizer("oscar"),
            letter_subject="Subject",
            letter_body="Dear {legislator_salutation}, please act on this.",
        )
        other_mine = Campaign.objects.create(
            slug="my-other-campaign",
            title="Mine too",
            owner=olivia,
            letter_subject="Subject",
            letter_body="Dear {legislator_salutation}, please act on this.",
        )
        answers = []
        for slug in (theirs.slug, other_mine.slug):
            response = self.edit(client, mine, slug=slug)
            assert response.status_code == 200
            errors = response.context["form"].errors["slug"]
            answers.append([error.replace(slug, "SLUG") for error in errors])
        assert answers[0] == answers[1]
        assert "already exists" not in str(answers)
        assert "That address is not available" in answers[0][0]

    def test_a_drafts_automatic_address_does_not_count_its_namesakes(self, client, olivia):
        first, second = draft(client), None
        client.post("/organize/new/", {"text": RELEASE, "url": ""})
        second = Campaign.objects.exclude(pk=first.pk).get()
        assert second.slug.startswith(first.slug + "-")
        assert not second.slug.endswith("-2")

    def test_target_names_keep_no_line_breaks(self, client, olivia):
        campaign = draft(client)
        response = self.edit(
            client,
            campaign,
            **{
                "targets-TOTAL_FORMS": "1",
                "targets-0-name": "Governor\r\nBcc: someone@evil.test",
                "targets-0-salutation": "Governor\nScott",
                "targets-0-email": "gov@state.test",
            },
        )
        assert response.status_code == 302
        target = campaign.custom_targets.get()
        assert target.name == "Governor Bcc: someone@evil.test"
        assert target.salutation == "Governor Scott"

    def test_the_model_keeps_one_line_fields_to_one_line(self, olivia):
        from campaigns.models import CustomTarget

        campaign = Campaign(
            slug="x",
            title="Title\r\nSecond line",
            organization="Org\nBcc: x@evil.test",
            letter_subject="Subject\r\nBcc: x@evil.test",
            letter_body="Dear {legislator_salutation}, please act on this now.",
            share_text="Share\nthis",
        )
        campaign.full_clean()
        assert campaign.title == "Title Second line"
        assert campaign.organization == "Org Bcc: x@evil.test"
        assert campaign.letter_subject == "Subject Bcc: x@evil.test"
        assert campaign.share_text == "Share this"
        campaign.save()
        target = CustomTarget(
            campaign=campaign, name="A\r\nB", salutation="C\nD", email="gov@state.test"
        )
        target.full_clean()
        assert (target.name, target.salutation) == ("A B", "C D")


def test_the_sites_that_may_embed_a_campaign(client, olivia):
    campaign = draft(client)
    page = client.get(f"/organize/{campaign.slug}/").content.decode()
    assert "No site may embed this campaign yet" in page
    data = edit_data(
        client,
        campaign,
        targets="congress",
        embed_origins="http://partner.org\n*\nhttps://coalition.example/join\nhttps://ok.example",
    )
    response = client.post(f"/organize/{campaign.slug}/", data).content.decode()
    for message in (
        "“http://partner.org” must use https (plain http is allowed only for localhost).",
        "“*”: wildcards are not allowed; list each site.",
        "“https://coalition.example/join” is not a site&#x27;s origin: write it like "
        "https://partner.org.",
    ):
        assert message in response
    campaign.refresh_from_db()
    assert campaign.embed_origins == []

    data["embed_origins"] = "https://Partner.org/\nhttps://partner.org:443, http://localhost:8000"
    assert client.post(f"/organize/{campaign.slug}/", data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.embed_origins == ["https://partner.org", "http://localhost:8000"]
    page = client.get(f"/organize/{campaign.slug}/").content.decode()
    assert (
        f'&lt;script src="http://localhost:8000/static/js/embed.js" '
        f'data-campaign="{campaign.slug}" async&gt;&lt;/script&gt;'
    ) in page
    assert f'value="http://localhost:8000/c/{campaign.slug}/embed/"' in page
