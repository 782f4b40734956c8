"""Retention of street addresses, and a supporter's export and deletion."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.core.serializers.json import DjangoJSONEncoder
from django.test import override_settings
from django.utils import timezone

from campaigns import privacy
from campaigns.models import FollowUp, Letter, Submission, Supporter
from campaigns.supporters import progress
from tests import factories

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - timedelta(days=40)
LATELY = NOW - timedelta(days=10)


def written(campaign, *statuses, finished=LONG_AGO, **supporter_fields):
    """A supporter with one submission and a letter in each status, finished at `finished`."""
    supporter = factories.supporter(campaign, phone="802-555-0123", **supporter_fields)
    post = factories.submission(
        campaign, supporter=supporter, matched_address="12 ELM ST, AUSTIN, TX, 78701"
    )
    for status in statuses:
        times = {
            Letter.Status.DELIVERED: {"delivered_at": finished},
            Letter.Status.FAILED: {"failed_at": finished},
        }.get(status, {})
        factories.letter(
            campaign,
            submission=post,
            status=status,
            created_at=finished - timedelta(hours=1),
            **times,
        )
    return supporter


def address_of(supporter):
    supporter.refresh_from_db()
    return supporter.street, supporter.phone


class TestErasure:
    def test_addresses_go_once_every_letter_finished_long_enough_ago(self):
        campaign = factories.campaign()
        delivered = written(campaign, Letter.Status.DELIVERED, Letter.Status.FAILED)
        cancelled = written(campaign, Letter.Status.CANCELLED)

        assert privacy.erase_delivered_addresses(30, now=NOW) == 2

        for supporter in (delivered, cancelled):
            assert address_of(supporter) == ("", "")
            assert supporter.address_erased_at == NOW
            # What the statistics count by stays.
            assert (supporter.city, supporter.state, supporter.zip_code) == (
                "Austin",
                "TX",
                "78701",
            )
        assert set(Submission.objects.values_list("matched_address", flat=True)) == {""}
        assert Letter.objects.count() == 3  # the letters themselves stay

    @pytest.mark.parametrize(
        ("statuses", "finished"),
        [
            ([Letter.Status.DELIVERED], LATELY),
            ([Letter.Status.DELIVERED, Letter.Status.QUEUED], LONG_AGO),
            ([Letter.Status.RETRYING], LONG_AGO),
            ([Letter.Status.UNCONFIRMED], LONG_AGO),
            ([Letter.Status.SENDING], LONG_AGO),
        ],
    )
    def test_addresses_stay_while_a_letter_may_still_need_them(self, statuses, finished):
        supporter = written(factories.campaign(), *statuses, finished=finished)
        assert privacy.erase_delivered_addresses(30, now=NOW) == 0
        assert address_of(supporter) == (supporter.street, "802-555-0123")
        assert supporter.street and supporter.address_erased_at is None
        assert Submission.objects.get().matched_address

    def test_one_recent_letter_keeps_the_address(self):
        campaign = factories.campaign()
        supporter = written(campaign, Letter.Status.DELIVERED)
        later = factories.submission(campaign, supporter=supporter)
        factories.letter(
            campaign, submission=later, status=Letter.Status.DELIVERED, delivered_at=LATELY
        )
        assert privacy.erase_delivered_addresses(30, now=NOW) == 0

    def test_a_returning_supporters_new_address_is_erased_in_its_turn(self):
        campaign = factories.campaign()
        supporter = written(campaign, Letter.Status.DELIVERED)
        assert privacy.erase_delivered_addresses(30, now=NOW) == 1
        assert privacy.erase_delivered_addresses(30, now=NOW) == 0  # nothing left to erase
        Supporter.objects.filter(pk=supporter.pk).update(street="14 Oak St")  # they wrote again
        assert privacy.erase_delivered_addresses(30, now=NOW + timedelta(days=1)) == 1
        assert address_of(supporter) == ("", "")

    def test_it_is_two_updates_however_many_supporters(self, django_assert_num_queries):
        campaign = factories.campaign()
        for _ in range(5):
            written(campaign, Letter.Status.DELIVERED)
        # A savepoint and its release, the submissions, the supporters.
        with django_assert_num_queries(4):
            assert privacy.erase_delivered_addresses(30, now=NOW) == 5

    def test_the_setting_chooses_the_days_and_zero_keeps_everything(self):
        supporter = written(factories.campaign(), Letter.Status.DELIVERED, finished=LATELY)
        with override_settings(ADDRESS_RETENTION_DAYS=0):
            assert privacy.erase_old_addresses() == 0
        with override_settings(ADDRESS_RETENTION_DAYS=30):
            assert privacy.erase_old_addresses() == 0
        with override_settings(ADDRESS_RETENTION_DAYS=7):
            assert privacy.erase_old_addresses() == 1
        assert address_of(supporter) == ("", "")

    def test_the_default_is_thirty_days(self, settings):
        written(factories.campaign(), Letter.Status.DELIVERED, finished=NOW - timedelta(days=29))
        assert privacy.erase_old_addresses() == 0
        written(factories.campaign(), Letter.Status.DELIVERED, finished=NOW - timedelta(days=31))
        assert privacy.erase_old_addresses() == 1


def test_export_holds_the_supporter_their_posts_and_letters():
    campaign = factories.campaign(slug="clean-water")
    supporter = written(campaign, Letter.Status.DELIVERED, Letter.Status.FAILED, first_name="Maya")
    written(campaign, Letter.Status.DELIVERED, first_name="Someone else")

    data = json.loads(json.dumps(privacy.export_supporter(supporter), cls=DjangoJSONEncoder))

    assert data["campaign"] == "clean-water"
    assert data["supporter"]["email"] == supporter.email
    assert data["supporter"]["first_name"] == "Maya"
    assert data["supporter"]["street"] == supporter.street
    assert [post["matched_address"] for post in data["submissions"]] == [
        "12 ELM ST, AUSTIN, TX, 78701"
    ]
    assert sorted(letter["status"] for letter in data["letters"]) == ["delivered", "failed"]
    assert all(letter["legislator__bioguide_id"] for letter in data["letters"])
    assert [letter["follow_up__answer"] for letter in data["letters"]] == [None, None]


def test_export_holds_the_answer_to_did_the_office_reply():
    campaign = factories.campaign()
    supporter = written(campaign, Letter.Status.DELIVERED)
    letter = supporter.letters.get()
    FollowUp.objects.create(
        letter=letter,
        campaign=campaign,
        delivered_at=LONG_AGO,
        asked_at=NOW,
        answer=FollowUp.Answer.REPLIED,
        answered_at=NOW,
    )

    [exported] = privacy.export_supporter(supporter)["letters"]

    assert (exported["follow_up__answer"], exported["follow_up__answered_at"]) == ("replied", NOW)


def test_delete_takes_the_supporter_their_posts_and_letters_delivered_too():
    campaign = factories.campaign()
    supporter = written(campaign, Letter.Status.DELIVERED, Letter.Status.QUEUED)
    other = written(campaign, Letter.Status.DELIVERED)

    assert privacy.delete_supporter(supporter) == {"supporters": 1, "submissions": 1, "letters": 2}

    assert list(Supporter.objects.all()) == [other]
    assert Submission.objects.get().supporter == other
    assert Letter.objects.get().supporter == other
    # The campaign's counts come from rows: the deleted letters are no longer counted.
    assert progress.letters_sent(campaign) == 1


def staff_with(*codenames):
    user = User.objects.create_user("staff-" + "-".join(codenames), is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


class TestAdminActions:
    URL = "/admin/campaigns/supporter/"

    def test_export_downloads_the_selected_supporters_as_json(self, client):
        campaign = factories.campaign()
        supporter = written(campaign, Letter.Status.DELIVERED)
        client.force_login(staff_with("view_supporter"))
        response = client.post(
            self.URL, {"action": "export_data", "_selected_action": [supporter.pk]}
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"] == 'attachment; filename="supporter-data.json"'
        [data] = json.loads(response.content)
        assert data["supporter"]["email"] == supporter.email
        assert [letter["status"] for letter in data["letters"]] == ["delivered"]

    def test_export_needs_the_view_permission_itself(self, client):
        supporter = written(factories.campaign(), Letter.Status.DELIVERED)
        # change_supporter lets a user into the admin's list, not to the export.
        client.force_login(staff_with("change_supporter"))
        page = client.get(self.URL).content.decode()
        assert 'value="export_data"' not in page
        response = client.post(
            self.URL, {"action": "export_data", "_selected_action": [supporter.pk]}, follow=True
        )
        assert response["Content-Type"].startswith("text/html")
        assert "Content-Disposition" not in response

    def test_staff_without_supporter_permissions_see_nothing(self, client):
        supporter = written(factories.campaign(), Letter.Status.DELIVERED)
        client.force_login(staff_with())
        assert client.get(self.URL).status_code == 403
        response = client.post(
            self.URL, {"action": "export_data", "_selected_action": [supporter.pk]}
        )
        assert response.status_code == 403

    def test_delete_asks_first_then_deletes_everything(self, client):
        campaign = factories.campaign()
        supporter = written(campaign, Letter.Status.DELIVERED, Letter.Status.FAILED)
        other = written(campaign, Letter.Status.DELIVERED)
        client.force_login(staff_with("view_supporter", "delete_supporter"))
        form = {"action": "delete_data", "_selected_action": [supporter.pk]}

        asked = client.post(self.URL, form)
        assert asked.status_code == 200
        page = asked.content.decode()
        assert "all 2 of their letters, delivered ones included" in page
        assert supporter.email in page
        assert Supporter.objects.count() == 2  # nothing gone yet

        done = client.post(self.URL, form | {"confirm": "yes"}, follow=True)
        assert "Deleted 1 supporters, 1 submissions and 2 letters." in done.content.decode()
        assert list(Supporter.objects.all()) == [other]
        assert Letter.objects.get().supporter == other

    def test_delete_needs_the_delete_permission(self, client):
        supporter = written(factories.campaign(), Letter.Status.DELIVERED)
        client.force_login(staff_with("view_supporter"))
        assert 'value="delete_data"' not in client.get(self.URL).content.decode()
        client.post(
            self.URL,
            {"action": "delete_data", "_selected_action": [supporter.pk], "confirm": "yes"},
        )
        assert Supporter.objects.filter(pk=supporter.pk).exists()
        assert Letter.objects.count() == 1
