"""The staff pages: who may see them, what they show, and how many queries."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import timezone

from campaigns.models import Letter
from campaigns.permissions import ORGANIZERS_GROUP
from tests import factories

pytestmark = [pytest.mark.django_db]

YESTERDAY = date(2026, 6, 2)
RANGE = "?from=2026-06-01&to=2026-06-03"


def organizer(username):
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    return user


def with_supporter_permission(user):
    user.user_permissions.add(Permission.objects.get(codename="view_supporter"))
    return User.objects.get(pk=user.pk)  # a fresh permission cache


@pytest.fixture
def owner():
    return organizer("owner")


@pytest.fixture
def staff():
    return User.objects.create_user("staff", is_staff=True)


@pytest.fixture
def campaign(owner):
    return factories.campaign(slug="clean-water", title="Clean water now", owner=owner)


def letters(campaign, office, count, day=YESTERDAY, **fields):
    created = timezone.make_aware(datetime.combine(day, time(12)))
    if fields.get("status") == Letter.Status.DELIVERED:
        fields["delivered_at"] = created + timedelta(minutes=5)
    for _ in range(count):
        post = factories.submission(campaign, created_at=created)
        factories.letter(campaign, office, submission=post, created_at=created, **fields)


class TestAccess:
    @pytest.mark.parametrize(
        "url",
        [
            "/staff/",
            "/staff/clean-water/",
            "/staff/clean-water/letters.csv",
            "/staff/clean-water/supporters.csv",
        ],
    )
    def test_anonymous_visitors_are_sent_to_log_in(self, client, campaign, url):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")

    @pytest.mark.parametrize(
        "url", ["/staff/", "/staff/clean-water/", "/staff/clean-water/letters.csv"]
    )
    def test_users_who_organize_nothing_are_refused(self, client, campaign, url):
        client.force_login(User.objects.create_user("supporter"))
        assert client.get(url).status_code == 403

    @pytest.mark.parametrize("url", ["/staff/clean-water/", "/staff/clean-water/letters.csv"])
    def test_another_organizer_cannot_learn_the_campaign_exists(self, client, campaign, url):
        client.force_login(organizer("stranger"))
        assert client.get(url).status_code == 404

    @pytest.mark.parametrize(
        "url", ["/staff/", "/staff/clean-water/", "/staff/clean-water/letters.csv"]
    )
    def test_the_campaigns_organizer_and_staff_may_see(self, client, campaign, owner, staff, url):
        for user in (owner, staff):
            client.force_login(user)
            assert client.get(url).status_code == 200

    def test_supporters_personal_data_needs_its_own_permission(
        self, client, campaign, owner, staff
    ):
        url = "/staff/clean-water/supporters.csv"
        for user in (owner, staff):
            client.force_login(user)
            assert client.get(url).status_code == 403
            assert "Supporters CSV" not in client.get("/staff/clean-water/").content.decode()
            client.force_login(with_supporter_permission(user))
            assert client.get(url).status_code == 200
            assert "Supporters CSV" in client.get("/staff/clean-water/").content.decode()

    def test_organizers_see_only_their_campaigns_in_the_overview(
        self, client, campaign, owner, staff
    ):
        factories.campaign(title="Someone else's")
        client.force_login(owner)
        assert "Someone else&#x27;s" not in client.get("/staff/").content.decode()
        client.force_login(staff)
        assert "Someone else&#x27;s" in client.get("/staff/").content.decode()


class TestDashboard:
    def test_what_each_texas_office_got_yesterday_and_whether_it_arrived(
        self, client, staff, campaign
    ):
        senator = factories.legislator("TX", last_name="Cornyn", official_full_name="John Cornyn")
        representative = factories.legislator("TX", 7, official_full_name="Lizzie Fletcher")
        californian = factories.legislator("CA", 12, official_full_name="Lateefah Simon")
        letters(campaign, senator, 3, status=Letter.Status.DELIVERED)
        letters(campaign, senator, 1, status=Letter.Status.FAILED, failure_reason="Bounced")
        letters(campaign, representative, 2, status=Letter.Status.RETRYING)
        letters(campaign, senator, 5, day=YESTERDAY - timedelta(days=1))
        letters(campaign, californian, 4)
        client.force_login(staff)

        html = client.get(
            "/staff/clean-water/?from=2026-06-02&to=2026-06-02&state=TX"
        ).content.decode()

        offices = re.search(r'id="offices-heading".*?</table>', html, re.S).group()
        rows = [
            [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)]
            for row in re.findall(r"<tr>\s*<td.*?</tr>", offices, re.S)
        ]
        assert rows == [
            ["John Cornyn", "TX Senate", "4", "3", "0", "0", "1", "0"],
            ["Lizzie Fletcher", "TX-7", "2", "0", "0", "2", "0", "0"],
        ]
        assert "<title>Texas: 6 letters, 3 delivered</title>" in html
        assert "Bounced" in html

    def test_delivery_health_per_office_with_the_reasons_grouped(self, client, staff, campaign):
        senator = factories.legislator("TX", official_full_name="John Cornyn")
        representative = factories.legislator("TX", 7, official_full_name="Lizzie Fletcher")
        outside = "cwc: CWC rejected the message (HTTP 400): Address outside the district"
        letters(campaign, senator, 3, status=Letter.Status.REJECTED, failure_reason=outside)
        letters(campaign, senator, 1, status=Letter.Status.FAILED, failure_reason="Gave up")
        # The office directory's status, counted by its value before it exists here.
        letters(campaign, representative, 2, status="no_route", failure_reason="No route")
        letters(campaign, representative, 5, status=Letter.Status.DELIVERED)
        client.force_login(staff)

        html = client.get("/staff/clean-water/" + RANGE).content.decode()

        health = re.search(r'id="health-heading".*?</table>', html, re.S).group()
        rows = [
            [
                " ".join(re.sub(r"<[^>]+>", " ", cell).split())
                for cell in re.findall(r"<td.*?</td>", row, re.S)
            ]
            for row in re.findall(r"<tr>\s*<td.*?</tr>", health, re.S)
        ]
        assert rows == [
            ["John Cornyn (TX Senate)", "3", "1", "0", f"3 × {outside} 1 × Gave up"],
            ["Lizzie Fletcher (TX-7)", "0", "0", "2", "2 × No route"],
        ]

    def test_the_page_keeps_to_the_content_security_policy(self, client, staff, campaign):
        letters(campaign, factories.legislator("TX"), 2)
        client.force_login(staff)
        html = client.get("/staff/clean-water/" + RANGE).content.decode()
        assert " style=" not in html
        assert all("nonce=" in tag for tag in re.findall(r"<script[^>]*>", html))

    def test_a_bad_filter_is_explained_and_the_default_shown(self, client, staff, campaign):
        client.force_login(staff)
        response = client.get("/staff/clean-water/?from=yesterday")
        assert response.status_code == 400
        assert "from: &#x27;yesterday&#x27; is not a date" in response.content.decode()
        assert "Letters per day" in response.content.decode()

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("?to=9999-12-31", "to: 9999-12-31 is not between 2000-01-01 and 2100-12-31"),
            ("?from=0001-01-01", "from: 0001-01-01 is not between 2000-01-01 and 2100-12-31"),
            ("?from=2000-01-01&to=2100-12-31", "at most 731 days at a time"),
        ],
    )
    @pytest.mark.parametrize("page", ["", "letters.csv", "supporters.csv"])
    def test_a_date_out_of_range_is_a_400_that_says_so(
        self, client, staff, campaign, query, message, page
    ):
        client.force_login(with_supporter_permission(staff))
        response = client.get(f"/staff/clean-water/{page}{query}")
        assert response.status_code == 400
        assert message in response.content.decode()

    def test_numbers_are_kept_a_minute_and_say_when_they_were_counted(
        self, client, staff, campaign
    ):
        office = factories.legislator("TX")
        letters(campaign, office, 2)
        client.force_login(staff)
        url = "/staff/clean-water/" + RANGE
        before = timezone.localtime().strftime("%H:%M")
        html = client.get(url).content.decode()
        after = timezone.localtime().strftime("%H:%M")
        assert re.search(r"Numbers as of (\d\d:\d\d)", html).group(1) in {before, after}
        assert "Jun 2: 2 letters" in html
        letters(campaign, office, 1)
        assert "Jun 2: 2 letters" in client.get(url).content.decode()
        assert "Jun 2: 3 letters" in client.get(url + "&state=TX").content.decode()

    def test_numbers_can_be_always_fresh(self, client, staff, campaign, settings):
        office = factories.legislator("TX")
        letters(campaign, office, 2)
        client.force_login(staff)
        assert "Jun 2: 2 letters" in client.get("/staff/clean-water/" + RANGE).content.decode()
        letters(campaign, office, 1)
        settings.STATS_CACHE_SECONDS = 0
        assert "Jun 2: 3 letters" in client.get("/staff/clean-water/" + RANGE).content.decode()
        letters(campaign, office, 1)
        assert "Jun 2: 4 letters" in client.get("/staff/clean-water/" + RANGE).content.decode()

    def test_tables_kept_rendered_are_written_again_when_a_name_or_language_changes(
        self, client, staff, campaign, settings
    ):
        office = factories.legislator("TX", 7, official_full_name="Lizzie Fletcher")
        letters(campaign, office, 2)
        client.force_login(staff)
        settings.STATS_CACHE_SECONDS = 0
        url = "/staff/clean-water/" + RANGE
        assert "<td>Lizzie Fletcher</td>" in client.get(url).content.decode()
        office.official_full_name = "Lizzie Pannill Fletcher"
        office.save()
        assert "<td>Lizzie Pannill Fletcher</td>" in client.get(url).content.decode()
        assert "Por estado" in client.get(url + "&lang=es").content.decode()

    def test_exports_carry_the_filters(self, client, staff, campaign):
        client.force_login(with_supporter_permission(staff))
        html = client.get("/staff/clean-water/" + RANGE + "&state=TX").content.decode()
        query = "?from=2026-06-01&amp;to=2026-06-03&amp;state=TX"
        assert f'href="/staff/clean-water/letters.csv{query}"' in html
        assert f'href="/staff/clean-water/supporters.csv{query}"' in html


class TestQueryCounts:
    """The number of queries stays put however many letters and offices."""

    @pytest.fixture(autouse=True)
    def sessions_in_the_database(self, settings):
        # Counted as on the embedded default: with Redis as the cache the
        # session is read from Redis first, one query fewer.
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"

    @pytest.mark.parametrize("offices", [1, 6])
    def test_dashboard(self, client, django_assert_num_queries, owner, campaign, offices):
        visit_time = timezone.make_aware(datetime.combine(YESTERDAY, time(9)))
        for index in range(offices):
            office = factories.legislator("TX", index + 1)
            letters(campaign, office, index + 1, status=Letter.Status.DELIVERED)
            factories.visit(campaign, source=f"source-{index}", created_at=visit_time)
        letters(campaign, factories.custom_target(campaign), 2)
        client.force_login(owner)
        # The session, the user, their organizers group, the campaign; the
        # lookups and visits; the letters' rollups by office and by day, their
        # offices and custom targets; the submissions by source; the delivery
        # times' histogram and (these being few) the median read from the
        # letters; failure reasons; the letters that did not get through, per
        # office; the answers to "did the office reply?"; the user's and their
        # groups' permissions (for exports); and the campaign's letter variants.
        with django_assert_num_queries(19):
            assert client.get("/staff/clean-water/" + RANGE).status_code == 200

    def test_dashboard_again_within_the_minute(
        self, client, django_assert_num_queries, owner, campaign
    ):
        letters(campaign, factories.legislator("TX"), 2)
        client.force_login(owner)
        client.get("/staff/clean-water/" + RANGE)
        # The numbers are kept: no query for them.
        with django_assert_num_queries(6):
            assert client.get("/staff/clean-water/" + RANGE).status_code == 200

    @pytest.mark.parametrize("campaigns", [1, 4])
    def test_overview(self, client, django_assert_num_queries, staff, campaigns):
        for _ in range(campaigns):
            campaign = factories.campaign()
            letters(campaign, factories.legislator("TX"), 2, day=timezone.localdate())
        client.force_login(staff)
        # Session, user, the campaigns, their letter counts and their letters
        # per day from the tallies; and for staff the backlog: the letters
        # waiting and delivered lately, grouped, and their offices' chambers.
        with django_assert_num_queries(8):
            html = client.get("/staff/").content.decode()
        assert html.count('<svg class="sparkline"') == campaigns
