"""Staff see every delivery and each attempt's answer in the admin."""

import pytest

from tests.webhooks.conftest import hook_for
from webhooks.models import Attempt, Delivery

pytestmark = pytest.mark.django_db


def test_a_delivery_shows_its_attempts_and_no_secret(admin_client, owner):
    hook = hook_for(owner, "https://crm.example.org/hooks")
    delivery = Delivery.objects.create(
        webhook=hook, event="letter.failed", payload={"id": "x"}, status="retrying", attempts=2
    )
    Attempt.objects.create(delivery=delivery, status_code=503, error="HTTP 503: busy")
    Attempt.objects.create(delivery=delivery, error="ReadTimeout: slow")
    listing = admin_client.get("/admin/webhooks/delivery/").content.decode()
    assert str(delivery.event_id) in listing
    page = admin_client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/").content.decode()
    assert "HTTP 503: busy" in page and "ReadTimeout: slow" in page
    hook_page = admin_client.get(f"/admin/webhooks/webhook/{hook.pk}/change/").content.decode()
    assert hook.secret not in hook_page
