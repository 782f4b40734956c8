import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from campaigns.models import DeliveryAttempt, Letter, Posting
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-for-tests"))
    return client


def test_staff_retry_failed_letters(admin_client, django_capture_on_commit_callbacks):
    failed = factories.letter(status=Letter.Status.FAILED)
    delivered = factories.letter(status=Letter.Status.DELIVERED)
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            "/admin/campaigns/letter/",
            {"action": "retry", "_selected_action": [failed.id, delivered.id]},
            follow=True,
        )
    assert "Queued 1 failed letters again." in response.content.decode()
    failed.refresh_from_db()
    delivered.refresh_from_db()
    assert (failed.status, delivered.status) == (Letter.Status.QUEUED, Letter.Status.DELIVERED)
    assert len(callbacks) == 1


def test_staff_cancel_a_campaigns_unsent_letters(admin_client):
    queued = factories.letter()
    response = admin_client.post(
        "/admin/campaigns/campaign/",
        {"action": "cancel_unsent_letters", "_selected_action": [queued.campaign_id]},
        follow=True,
    )
    assert "Cancelled 1 letters." in response.content.decode()
    queued.refresh_from_db()
    assert queued.status == Letter.Status.CANCELLED


def test_admin_pages_render(admin_client):
    letter = factories.letter(status=Letter.Status.FAILED)
    for url in (
        "/admin/campaigns/campaign/",
        f"/admin/campaigns/campaign/{letter.campaign_id}/change/",
        "/admin/campaigns/letter/?status__exact=failed",
        f"/admin/campaigns/letter/{letter.id}/change/",
        "/admin/campaigns/supporter/",
        "/admin/campaigns/submission/",
        "/admin/campaigns/event/",
        "/admin/legislators/legislator/",
    ):
        assert admin_client.get(url).status_code == 200, url


class TestCampaignDates:
    def test_the_admin_refuses_a_date_out_of_range(self, rf):
        from datetime import datetime

        from django.contrib import admin as django_admin
        from django.core.exceptions import ValidationError
        from django.utils import timezone

        from campaigns.models import Campaign

        campaign = Campaign(
            slug="far-out",
            title="Far out",
            letter_subject="Subject",
            letter_body="Dear {legislator_salutation}, please act.",
            ends_at=timezone.make_aware(datetime(9999, 12, 31, 23, 59)),
        )
        with pytest.raises(ValidationError) as refused:
            campaign.full_clean()
        assert refused.value.message_dict["ends_at"] == ["Enter a date between 2000 and 2100."]
        model_admin = django_admin.site._registry[Campaign]
        request = rf.get("/admin/")
        request.user = User.objects.create_superuser("root")
        form_class = model_admin.get_form(request)
        form = form_class(
            data={
                "slug": "far-out",
                "title": "Far out",
                "status": "draft",
                "targets": "congress",
                "topic": "International Affairs",
                "letter_subject": "Subject",
                "letter_body": "Dear {legislator_salutation}, please act.",
                "ends_at_0": "9999-12-31",
                "ends_at_1": "23:59",
                "release_facts": "{}",
                "bills": "[]",
            }
        )
        assert not form.is_valid()
        assert form.errors["ends_at"] == ["Enter a date between 2000 and 2100."]


def test_every_date_the_admin_lets_staff_edit_is_bounded(rf):
    """System timestamps are read-only; the dates people enter carry the bounds."""
    from django.contrib import admin as django_admin
    from django.db import models

    from campaigns import dates

    request = rf.get("/admin/")
    request.user = User.objects.create_superuser("root")
    editable = []
    for model, model_admin in django_admin.site._registry.items():
        if model._meta.app_label != "campaigns":
            continue
        admins = [model_admin, *model_admin.get_inline_instances(request)]
        for each in admins:
            form = each.get_formset(request).form if each is not model_admin else None
            form = form or model_admin.get_form(request)
            for name in form.base_fields:
                field = each.model._meta.get_field(name)
                if isinstance(field, models.DateTimeField):
                    bounded = dates.validate_in_range in field.validators
                    editable.append((each.model.__name__, name, bounded))
    assert editable == [("Campaign", "starts_at", True), ("Campaign", "ends_at", True)]


def test_a_letters_attempts_show_read_only_on_its_page(admin_client):
    letter = factories.letter(status=Letter.Status.REJECTED, attempts=1)
    DeliveryAttempt.objects.create(
        letter=letter,
        number=1,
        started_at=timezone.now(),
        channel="cwc",
        outcome=DeliveryAttempt.Outcome.REJECTED,
        answer="HTTP 400: Constituent address is outside the district",
    )
    page = admin_client.get(f"/admin/campaigns/letter/{letter.id}/change/").content.decode()
    assert "Rejected by the gateway" in page
    assert "HTTP 400: Constituent address is outside the district" in page
    assert 'name="delivery_attempts-0-answer"' not in page  # shown, not editable
    assert "delivery_attempts-empty" not in page  # nothing to add


def test_a_failed_posting_shows_its_reason_and_never_its_address(admin_client):
    campaign = factories.campaign()
    posting = Posting.objects.create(
        campaign=campaign,
        idempotency_key="k" * 32,
        letters=3,
        payload={"supporter": {"street": "1 Pine Street"}},
        failed_at=timezone.now(),
        failure_reason="ValueError: a bug in the worker",
    )
    listing = admin_client.get("/admin/campaigns/posting/?failed_at__isnull=False")
    assert str(posting.uuid) in listing.content.decode()
    page = admin_client.get(f"/admin/campaigns/posting/{posting.id}/change/").content.decode()
    assert "ValueError: a bug in the worker" in page
    assert "1 Pine Street" not in page
