import pytest
from django.contrib.auth.models import User

from campaigns.models import Letter
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
