"""The organizer's variants page (add, edit, retire) and the per-wording
figures on the campaign's dashboard."""

from datetime import date, datetime, time

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from campaigns.models import Variant, VisitTally
from campaigns.permissions import ORGANIZERS_GROUP
from campaigns.stats import parse_filters
from campaigns.stats.variants import MIN_VISITORS, variant_figures
from tests import factories

pytestmark = [pytest.mark.django_db]
DAY = date(2026, 6, 2)
RANGE = "?from=2026-06-01&to=2026-06-03"
URL = "/organize/clean-water/variants/"


def organizer(name):
    user = User.objects.create_user(name)
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    return user


@pytest.fixture
def owner(client):
    user = organizer("owner")
    client.force_login(user)
    return user


@pytest.fixture
def campaign(owner):
    return factories.campaign(
        slug="clean-water",
        title="Clean water now",
        owner=owner,
        letter_subject="Fund clean water",
        letter_body="Dear {legislator_salutation},\n\nFund clean water in {city}.",
    )


def add(client, **fields):
    values = {"label": "B", "headline": "", "letter_subject": "", "letter_body": ""}
    return client.post(URL, values | fields)


def test_the_organizer_adds_a_variant(client, campaign):
    page = client.get(URL).content.decode()
    assert 'value="B"' in page  # the next free label, suggested
    response = add(client, headline="Every tap, every town", letter_subject="Clean taps")
    assert response.status_code == 302
    variant = Variant.objects.get()
    assert (variant.campaign, variant.label, variant.headline, variant.letter_body) == (
        campaign,
        "B",
        "Every tap, every town",
        "",
    )
    page = client.get(URL).content.decode()
    assert "Every tap, every town" in page and "Clean taps" in page
    assert 'value="C"' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Give the variant a headline, a subject or a letter of its own."),
        ({"label": "a", "headline": "X"}, "A is the campaign&#x27;s own wording."),
        ({"letter_subject": "Hi {nickname}"}, "The subject uses unknown merge fields {nickname}"),
        ({"letter_body": "Dear {senator}"}, "The letter uses unknown merge fields {senator}"),
        ({"headline": "Two\u0007lines"}, "The headline has characters we can"),
    ],
)
def test_a_bad_variant_is_refused_with_a_message(client, campaign, fields, message):
    response = add(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Variant.objects.exists()


def test_labels_are_unique_per_campaign(client, campaign):
    add(client, label="Urgent", headline="Now")
    response = add(client, label="urgent", headline="Later")
    assert "Another variant of this campaign has that label." in response.content.decode()


def test_a_locked_letter_variant_cannot_keep_the_placeholder(client, campaign):
    from campaigns.letters import PERSONAL_PLACEHOLDER

    campaign.letter_editable = False
    campaign.save()
    response = add(client, letter_body=f"Dear {{legislator_salutation}},\n\n{PERSONAL_PLACEHOLDER}")
    assert "Supporters cannot edit this campaign" in response.content.decode()


def test_a_variant_changes_until_it_has_letters_then_is_retired(client, campaign):
    variant = Variant.objects.create(campaign=campaign, label="B", headline="Now")
    edit = f"{URL}{variant.pk}/"
    fields = {"label": "B", "headline": "Right now", "letter_subject": "", "letter_body": ""}
    assert client.post(edit, fields).status_code == 302
    variant.refresh_from_db()
    assert variant.headline == "Right now"

    factories.submission(campaign, variant=variant)
    response = client.post(edit, fields | {"headline": "Other"}, follow=True)
    assert "cannot change: add a new variant instead" in response.content.decode()
    variant.refresh_from_db()
    assert variant.headline == "Right now"

    response = client.post(f"{edit}retire/", follow=True)
    assert "Variant B is retired" in response.content.decode()
    variant.refresh_from_db()
    assert not variant.is_active
    assert client.get(f"/c/{campaign.slug}/").status_code == 200


def test_a_variant_change_is_a_campaign_change(campaign):
    before = campaign.updated_at
    Variant.objects.create(campaign=campaign, label="B", headline="Now")
    campaign.refresh_from_db()
    assert campaign.updated_at > before


def test_another_organizer_cannot_see_or_retire_them(client, campaign):
    variant = Variant.objects.create(campaign=campaign, label="B", headline="Now")
    client.force_login(organizer("mallory"))
    assert client.get(URL).status_code == 404
    assert client.post(f"{URL}{variant.pk}/retire/").status_code == 404
    variant.refresh_from_db()
    assert variant.is_active


def noon():
    return timezone.make_aware(datetime.combine(DAY, time(12)))


def wording(campaign, variant, *, visitors, submissions, edited=0, statuses=()):
    """Visitors, submissions (the first `edited` of them edited) and, for the
    first of them, one letter in each of `statuses`."""
    VisitTally.objects.create(
        campaign=campaign, day=DAY, source="", variant=variant.pk if variant else 0, visits=visitors
    )
    posts = [
        factories.submission(campaign, variant=variant, edited=index < edited, created_at=noon())
        for index in range(submissions)
    ]
    for status in statuses:
        factories.letter(campaign, submission=posts[0], status=status, created_at=noon())


def test_figures_per_wording_with_intervals_and_the_comparison(campaign):
    b = Variant.objects.create(campaign=campaign, label="B", headline="Now")
    c = Variant.objects.create(campaign=campaign, label="C", headline="Later")
    wording(campaign, None, visitors=200, submissions=20, edited=5, statuses=["delivered"])
    wording(
        campaign, b, visitors=200, submissions=60, edited=30, statuses=["delivered", "rejected"]
    )
    wording(campaign, c, visitors=MIN_VISITORS - 1, submissions=3, statuses=["failed"])
    control, with_b, with_c = variant_figures(
        campaign, parse_filters(campaign, {"from": "2026-06-01", "to": "2026-06-03"})
    )
    assert (control.label, control.visitors, control.submissions, control.edited) == (
        "A (the campaign's own)",
        200,
        20,
        5,
    )
    assert (control.delivered, control.rejected, control.failed) == (1, 0, 0)
    assert (round(control.conversion.low, 4), round(control.conversion.high, 4)) == (
        0.0657,
        0.1494,
    )
    assert control.against_control is None
    assert (with_b.delivered, with_b.rejected, with_b.edited_share) == (1, 1, 0.5)
    assert with_b.conversion.estimate == 0.3
    assert with_b.against_control.estimate == pytest.approx(0.2)
    assert with_b.against_control.low > 0  # clearly better than A
    assert (with_c.failed, with_c.conversion, with_c.against_control) == (1, None, None)


def test_the_dashboard_shows_figures_or_says_not_enough_data_yet(client, campaign, settings):
    settings.STATS_CACHE_SECONDS = 0
    b = Variant.objects.create(campaign=campaign, label="B", headline="Now")
    wording(campaign, None, visitors=12, submissions=2)
    wording(campaign, b, visitors=9, submissions=3)
    page = client.get("/staff/clean-water/" + RANGE).content.decode()
    assert "Letter variants" in page
    assert page.count("not enough data yet") == 3  # A's conversion; B's and its comparison

    VisitTally.objects.update(visits=200)
    wording_more(campaign, b)
    page = client.get("/staff/clean-water/" + RANGE).content.decode()
    assert "not enough data yet" not in page
    assert "1.0% (0.3–3.6%)" in page  # A: 2 of 200
    assert "better than A" in page
    assert f'action="/organize/clean-water/variants/{b.pk}/retire/"' in page

    client.post(f"{URL}{b.pk}/retire/", {"next": "dashboard"})
    assert Variant.objects.get().retired_at is not None


def wording_more(campaign, variant):
    for _ in range(20):
        factories.submission(campaign, variant=variant, created_at=noon())


def test_no_variants_no_section(client, campaign):
    page = client.get("/staff/clean-water/" + RANGE).content.decode()
    assert "Letter variants" not in page
