"""What the campaign page shows around the form: the count only once it
persuades, a goal's progress bar, the release's date when asked; and what
every page has: the site's name and an icon."""

import re

import pytest
from django.core.cache import cache

from campaigns.drafting.authoring import slug_base, unique_slug
from campaigns.models import Campaign
from tests import factories
from tests.campaigns.test_organizer_views import organizer

pytestmark = pytest.mark.django_db


def page(client, campaign):
    return client.get(campaign.get_absolute_url()).content.decode()


def test_the_count_is_hidden_below_the_threshold(client, campaign):
    campaign.show_count_from = 3
    campaign.save()
    factories.letter(campaign)
    factories.letter(campaign)
    assert "letters sent" not in page(client, campaign)
    factories.letter(campaign)
    cache.clear()  # the figure is kept a minute
    assert "<strong>3</strong> letters sent." in page(client, campaign)


def test_a_goal_shows_a_progress_bar(client, campaign):
    campaign.show_count_from = 1
    campaign.goal = 4
    campaign.save()
    factories.letter(campaign)
    html = page(client, campaign)
    assert "<strong>1</strong> letter sent of a goal of 4." in html
    assert '<progress class="w-100" value="1" max="4"' in html
    assert ">25%</progress>" in html


def test_the_release_date_shows_only_when_asked(
    client, campaign, django_capture_on_commit_callbacks
):
    campaign.release_date = "2026-03-03"
    campaign.save()
    assert "Press release of March 3, 2026" not in page(client, campaign)
    with django_capture_on_commit_callbacks(execute=True):  # a kept page is forgotten
        campaign.show_release_date = True
        campaign.save()
    assert "Press release of March 3, 2026" in page(client, campaign)


def test_the_organizer_sees_the_release_date(client, campaign):
    campaign.release_date = "2026-03-03"
    campaign.owner = organizer()
    campaign.save()
    client.force_login(campaign.owner)
    edit = client.get(f"/organize/{campaign.slug}/").content.decode()
    assert "Release of March 3, 2026 (not shown on the page)" in edit
    preview = client.get(f"/organize/{campaign.slug}/preview/").content.decode()
    assert "Release of March 3, 2026: not shown on the page." in preview


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (
            "Coalition urges Congress to halt massive displacement of families from public "
            "housing in the valley",
            "coalition-urges-congress-to-halt-massive-displacement-of-families-from",
        ),
        ("Short title", "short-title"),
        ("x" * 90, "x" * 70),
        ("¡¿!", "campaign"),
    ],
)
def test_slugs_are_cut_at_a_word_boundary(title, slug):
    assert slug_base(title) == slug


def test_a_taken_slug_gets_a_random_suffix_after_its_word_boundary_cut(campaign):
    assert re.fullmatch(rf"{campaign.slug}-[0-9a-f]{{6}}", unique_slug(campaign.title))


def test_the_login_page_reads_the_site_name_not_the_host(client, settings):
    settings.SITE_NAME = "Harbor Letters"
    html = client.get("/accounts/login/").content.decode()
    assert '<a class="navbar-brand fw-bold" href="/">Harbor Letters</a>' in html
    assert "testserver" not in html


def test_every_page_has_an_icon(client, campaign):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response.url.endswith(".ico")
    assert 'rel="icon" href="/static/favicon.svg"' in page(client, campaign)


@pytest.fixture
def campaign():
    return Campaign.objects.create(
        slug="shelter-now",
        title="Shelter now",
        status=Campaign.Status.LIVE,
        letter_subject="Shelter for families",
        letter_body="Dear {legislator_salutation},\n\nPlease fund shelter.\n\n{full_name}",
    )


def test_the_admin_reads_the_site_name(admin_client):
    from django.conf import settings

    html = admin_client.get("/admin/").content.decode()
    assert f"{settings.SITE_NAME} admin" in html and "Django administration" not in html
