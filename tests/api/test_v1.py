"""The JSON API: tokens and scopes, campaigns with stats, submissions and
letters by cursor and time, personal data only with the permission."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from api.models import ApiToken
from api.tokens import digest_of, issue, revoke
from campaigns import tasks
from campaigns.drafting import authoring, fetch
from campaigns.models import Campaign, Letter, ReleaseImport
from tests import factories
from tests.api.conftest import ApiClient, organizer

pytestmark = pytest.mark.django_db

RELEASE = """Harbor Alliance Urges Congress to Pass the Clean Harbors Act

PORTLAND, Maine (March 3, 2025) – The Harbor Alliance today urged Congress to pass H.R. 4521, \
the Clean Harbors Act, which would fund the cleanup of 40 polluted ports.

###
"""


def test_tokens_are_kept_only_as_a_digest(owner):
    token, raw = issue(owner, "CRM")
    assert raw.startswith("cst_") and len(raw) > 40
    assert token.digest == digest_of(raw) and raw not in token.digest
    assert token.prefix == raw[:10]
    assert not ApiToken.objects.filter(digest=raw).exists()


@pytest.mark.parametrize("header", [None, "Bearer cst_wrong", "Basic abc", "Bearer "])
def test_no_valid_token_is_a_401_that_says_why(owner, header):
    client = ApiClient(None)
    if header:
        client.headers = {"Authorization": header}
    response = client.get("/campaigns")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


def test_a_revoked_token_or_a_former_organizer_gets_a_401(owner, api_as):
    token, raw = issue(owner, "CRM")
    client = ApiClient(raw)
    assert client.get("/campaigns").status_code == 200
    revoke(token)
    assert client.get("/campaigns").status_code == 401
    other = organizer("oscar")
    client = api_as(other)
    other.groups.clear()
    assert client.get("/campaigns").status_code == 401


def test_lists_own_campaigns_newest_first_with_stats(owner, api_as):
    old = factories.campaign(owner=owner, title="Old")
    new = factories.campaign(owner=owner, title="New", status=Campaign.Status.DRAFT)
    factories.campaign(owner=organizer("oscar"), title="Not hers")
    Campaign.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    factories.letter(old, status=Letter.Status.DELIVERED)
    factories.letter(old, status=Letter.Status.FAILED)
    body = api_as(owner).get("/campaigns").json()
    assert [item["title"] for item in body["items"]] == ["New", "Old"]
    assert body["next_cursor"] is None
    stats = body["items"][1]["stats"]
    assert stats["submissions"] == 2
    assert stats["letters"] | {} == {
        "total": 2, "delivered": 1, "pending": 0, "retrying": 0, "failed": 1, "cancelled": 0,
    }  # fmt: skip
    assert body["items"][1]["url"].endswith(f"/c/{old.slug}/")
    drafts = api_as(owner).get("/campaigns", status="draft").json()["items"]
    assert [item["slug"] for item in drafts] == [new.slug]


def test_another_organizers_campaign_is_a_404(owner, api_as):
    theirs = factories.campaign(owner=organizer("oscar"))
    response = api_as(owner).get(f"/campaigns/{theirs.slug}")
    assert response.status_code == 404
    assert "among this token's campaigns" in response.json()["detail"]
    staff = organizer("stella")
    staff.is_staff = True
    staff.save()
    assert api_as(staff).get(f"/campaigns/{theirs.slug}").status_code == 200


def test_cursor_pagination_walks_every_row_once(owner, api_as):
    campaign = factories.campaign(owner=owner)
    start = timezone.now() - timedelta(hours=1)
    made = [
        factories.letter(campaign, created_at=start + timedelta(minutes=i % 3)) for i in range(7)
    ]
    client = api_as(owner)
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        body = client.get(f"/campaigns/{campaign.slug}/letters", **params).json()
        seen += [item["uuid"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(str(letter.uuid) for letter in made)
    assert len(seen) == 7


def test_bad_input_is_a_clear_4xx(owner, api_as):
    campaign = factories.campaign(owner=owner)
    client = api_as(owner)
    url = f"/campaigns/{campaign.slug}/letters"
    assert "cursor is not one this API gave" in client.get(url, cursor="forged").json()["detail"]
    assert "limit must be between 1 and 200" in client.get(url, limit=0).json()["detail"]
    response = client.get(url, since="yesterday")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "query.since"
    response = client.get(url, status="lost")
    assert response.status_code == 422
    later, earlier = "2026-06-02T00:00:00Z", "2026-06-01T00:00:00Z"
    assert client.get(url, since=later, until=earlier).status_code == 400


def test_filters_by_time_and_status(owner, api_as):
    campaign = factories.campaign(owner=owner)
    now = timezone.now()
    factories.letter(campaign, created_at=now - timedelta(days=3))
    recent = factories.letter(campaign, created_at=now - timedelta(hours=1))
    factories.letter(campaign, created_at=now, status=Letter.Status.DELIVERED)
    client = api_as(owner)
    since = (now - timedelta(days=1)).isoformat()
    until = (now - timedelta(minutes=1)).isoformat()
    body = client.get(f"/campaigns/{campaign.slug}/letters", since=since, until=until).json()
    assert [item["uuid"] for item in body["items"]] == [str(recent.uuid)]
    delivered = client.get(f"/campaigns/{campaign.slug}/letters", status="delivered").json()
    assert [item["status"] for item in delivered["items"]] == ["delivered"]
    submissions = client.get(f"/campaigns/{campaign.slug}/submissions", since=since).json()
    assert len(submissions["items"]) == 2
    assert submissions["items"][0]["letters"] == 1


def test_personal_data_only_with_view_supporter(api_as):
    owner = organizer("olivia")
    trusted = organizer("tess", "view_supporter")
    trusted.is_staff = True
    trusted.save()
    campaign = factories.campaign(owner=owner)
    letter = factories.letter(campaign)
    plain = api_as(owner).get(f"/campaigns/{campaign.slug}/submissions").json()["items"][0]
    assert plain["supporter"] is None
    assert plain["state"] == "TX"
    assert "@" not in str(plain)
    sent = api_as(owner).get(f"/campaigns/{campaign.slug}/letters").json()["items"][0]
    assert (sent["body"], sent["subject"]) == (None, None)
    assert sent["bioguide_id"] == letter.legislator.bioguide_id
    full = api_as(trusted).get(f"/campaigns/{campaign.slug}/submissions").json()["items"][0]
    assert full["supporter"]["email"] == letter.supporter.email
    assert "street" not in full["supporter"]
    sent = api_as(trusted).get(f"/campaigns/{campaign.slug}/letters").json()["items"][0]
    assert sent["body"] == letter.body


def test_writing_needs_the_write_scope(owner, api_as):
    campaign = factories.campaign(owner=owner, status=Campaign.Status.DRAFT)
    response = api_as(owner, "read").post(f"/campaigns/{campaign.slug}/publish")
    assert response.status_code == 403
    assert "write scope" in response.json()["detail"]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_create_publish_close(owner, api_as):
    client = api_as(owner, "write")
    response = client.post("/campaigns", {"text": RELEASE})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "draft"
    assert "Clean Harbors" in created["title"]
    campaign = Campaign.objects.get(slug=created["slug"])
    assert campaign.owner == owner
    assert client.post(f"/campaigns/{campaign.slug}/close").status_code == 409
    published = client.post(f"/campaigns/{campaign.slug}/publish").json()
    assert published["status"] == "live" and published["published_at"]
    closed = client.post(f"/campaigns/{campaign.slug}/close").json()
    assert closed["status"] == "closed"


def test_a_release_needs_text_or_a_url(owner, api_as):
    response = api_as(owner, "write").post("/campaigns", {"text": "  "})
    assert response.status_code == 422
    assert "Give the release's text or its URL." in response.json()["detail"][0]["message"]
    response = api_as(owner, "write").post("/campaigns", {"url": "not a url"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "body.release.url"


def test_rate_limited_per_token(owner, api_as, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    client = api_as(owner)
    assert [client.get("/campaigns").status_code for _ in range(4)] == [200, 200, 200, 429]
    response = client.get("/campaigns")
    assert response["Retry-After"] == "60"
    assert "requests a minute" in response.json()["detail"]
    assert api_as(owner).get("/campaigns").status_code == 200  # another token counts apart


def test_the_openapi_document_is_served_without_a_token(db):
    response = ApiClient(None).get("/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["version"] == "1"
    assert {"/api/v1/campaigns", "/api/v1/campaigns/{slug}/letters"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_a_url_is_fetched_by_a_worker_and_polled(owner, api_as, settings):
    settings.RELEASE_FETCH_ALLOWED_HOSTS = []
    client = api_as(owner, "write")
    with mock.patch.object(tasks.import_release, "delay_on_commit") as enqueue:
        response = client.post("/campaigns", {"url": "https://releases.example.org/harbor"})
    assert response.status_code == 202, response.content
    started = response.json()
    assert started["status"] == "fetching" and started["campaign"] is None
    release_import = ReleaseImport.objects.get(uuid=started["uuid"])
    enqueue.assert_called_once_with(release_import.pk)

    with mock.patch.object(fetch, "fetch_release_text", return_value=RELEASE):
        authoring.import_release(release_import.pk)
    polled = client.get(started["status_url"].removeprefix("/api/v1")).json()
    assert polled["status"] == "drafted"
    assert Campaign.objects.get(slug=polled["campaign"]).owner == owner


def test_another_owners_import_is_not_found(owner, api_as):
    stranger = User.objects.create_user("stranger")
    release_import = ReleaseImport.objects.create(url="https://example.org/r", organizer=stranger)
    response = api_as(owner).get(f"/imports/{release_import.uuid}")
    assert response.status_code == 404


def test_publishing_with_an_unverified_target_is_refused_with_its_name(owner, api_as):
    campaign = factories.campaign(owner=owner, status=Campaign.Status.DRAFT)
    factories.custom_target(campaign, name="Mayor Ruiz", verified_at=None)
    response = api_as(owner, "write").post(f"/campaigns/{campaign.slug}/publish")
    assert response.status_code == 409
    assert "Mayor Ruiz" in response.json()["detail"]
