"""Webhook deliveries against a real receiver on loopback that checks each
signature, fails some requests and answers slowly."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.drafting.authoring import publish
from tests import factories
from tests.api.conftest import organizer
from tests.webhooks.conftest import hook_for, tasks_on_commit
from webhooks import events, signing
from webhooks.models import Delivery, Event, Webhook
from webhooks.sending import attempt, stuck
from webhooks.tasks import deliver_webhook

pytestmark = pytest.mark.django_db

Status = Delivery.Status


def published(owner):
    campaign = factories.campaign(owner=owner, status="draft")
    publish(campaign)
    return campaign


def only_delivery():
    return Delivery.objects.get()


def test_a_signed_event_arrives_once(owner, receiver, django_capture_on_commit_callbacks):
    server = receiver()
    hook = hook_for(owner, server.url)
    with django_capture_on_commit_callbacks() as queued:
        campaign = published(owner)
    # the delivery task, queued once the publication commits
    assert tasks_on_commit(queued) == ["webhooks.tasks.deliver_webhook"]
    delivery = only_delivery()
    assert attempt(delivery.id) is None
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED and delivery.attempts == 1
    (headers, body, valid) = server.received[0]
    assert valid
    assert headers[signing.EVENT] == "campaign.published"
    assert headers[signing.EVENT_ID] == str(delivery.event_id) == body["id"]
    assert body["type"] == "campaign.published"
    assert body["campaign"] == {
        "uuid": str(campaign.uuid), "slug": campaign.slug, "title": campaign.title,
    }  # fmt: skip
    assert body["data"]["url"].endswith(f"/c/{campaign.slug}/")
    log = list(delivery.attempt_log.values_list("status_code", "error"))
    assert log == [(200, "")]
    # Nothing more to do: a second message for the same delivery sends nothing.
    assert attempt(delivery.id) is None
    assert len(server.received) == 1
    hook.refresh_from_db()
    assert hook.failures_in_a_row == 0


def test_failures_retry_with_growing_pauses_then_succeed(owner, receiver):
    server = receiver(500, 503)
    hook_for(owner, server.url)
    published(owner)
    delivery = only_delivery()
    first = attempt(delivery.id)
    assert 15 <= first <= 30
    delivery.refresh_from_db()
    assert delivery.status == Status.RETRYING and delivery.next_attempt_at
    second = attempt(delivery.id)
    assert 30 <= second <= 60
    assert attempt(delivery.id) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 3)
    assert [code for (code,) in delivery.attempt_log.values_list("status_code")] == [500, 503, 200]
    # Every attempt carried the same event id, so the receiver can deduplicate.
    assert len({headers[signing.EVENT_ID] for headers, _body, _valid in server.received}) == 1
    assert Webhook.objects.get().failures_in_a_row == 0


def test_a_slow_answer_times_out_and_is_tried_again(owner, receiver):
    server = receiver(("slow", 1.5))
    hook_for(owner, server.url)
    published(owner)
    delivery = only_delivery()
    assert attempt(delivery.id) is not None
    error = delivery.attempt_log.get().error
    assert error.startswith("ReadTimeout")
    assert attempt(delivery.id) is None
    assert Delivery.objects.get().status == Status.DELIVERED


def test_a_wrong_secret_is_refused_by_the_receiver(owner, receiver):
    server = receiver(secret="whsec_the-receiver-expects-another")
    hook_for(owner, server.url)
    published(owner)
    attempt(only_delivery().id)
    assert server.received[0][2] is False
    assert only_delivery().attempt_log.get().status_code == 401


def test_gives_up_after_the_last_attempt(owner, receiver, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    server = receiver(500, 500, 500)
    hook_for(owner, server.url)
    published(owner)
    delivery = only_delivery()
    assert attempt(delivery.id) is not None
    assert attempt(delivery.id) is None
    assert only_delivery().status == Status.FAILED
    assert Webhook.objects.get().active  # two failures are not enough to turn it off


def test_turned_off_after_failures_in_a_row_with_an_email(owner, receiver, settings):
    settings.WEBHOOK_DISABLE_AFTER = 3
    server = receiver(*[500] * 10)
    hook = hook_for(owner, server.url)
    published(owner)
    first = only_delivery()
    attempt(first.id)
    attempt(first.id)
    publish(factories.campaign(owner=owner, status="draft"))
    second = Delivery.objects.exclude(pk=first.pk).get()
    assert attempt(second.id) is None  # the third failure in a row
    hook.refresh_from_db()
    assert not hook.active and hook.disabled_at
    assert "3 failed attempts in a row; the last: HTTP 500" in hook.disabled_reason
    assert Delivery.objects.get(pk=second.pk).status == Status.FAILED
    message = mail.outbox[-1]
    assert message.to == ["olivia@example.org"]
    assert server.url in message.body
    # A retry already queued for the first delivery is not sent, and says why.
    assert attempt(first.id) is None
    assert Delivery.objects.get(pk=first.pk).attempt_log.last().error == (
        "Not sent: the webhook is disabled."
    )
    assert len(server.received) == 3
    # Events while it is off make no deliveries.
    publish(factories.campaign(owner=owner, status="draft"))
    assert Delivery.objects.count() == 2


def test_a_private_address_is_refused_at_send_time(owner, receiver, settings):
    server = receiver()
    hook_for(owner, server.url)
    published(owner)
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    assert attempt(only_delivery().id) is not None
    assert only_delivery().attempt_log.get().error.startswith("Refused: The URL must start")
    assert server.received == []


def test_the_same_event_twice_is_one_delivery(owner, receiver):
    hook_for(owner, receiver().url)
    campaign = published(owner)
    events.campaign_published(campaign)
    assert Delivery.objects.count() == 1


def test_only_subscribed_events_and_own_or_staff_webhooks(owner, receiver):
    url = receiver().url
    hook_for(owner, url, events=[Event.LETTER_FAILED])
    other = organizer("oscar")
    hook_for(other, url)
    staff = organizer("stella")
    staff.is_staff = True
    staff.save()
    staff_hook = hook_for(staff, url)
    published(owner)
    assert list(Delivery.objects.values_list("webhook", flat=True)) == [staff_hook.pk]


def test_the_celery_task_sends_it(owner, receiver):
    server = receiver()
    hook_for(owner, server.url)
    published(owner)
    deliver_webhook.apply((only_delivery().id,)).get()
    assert only_delivery().status == Status.DELIVERED
    assert server.received[0][2]


def test_lost_deliveries_are_found_again_and_sent_once(owner, receiver):
    server = receiver()
    hook_for(owner, server.url)
    published(owner)
    delivery = only_delivery()
    later = timezone.now() + timedelta(hours=1)
    assert stuck() == []  # queued a moment ago: its message is on its way
    assert stuck(now=later) == [delivery.id]
    assert stuck(now=later) == []  # the lease restarted: not twice in a row
    # A worker died holding it.
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert stuck() == [delivery.id]
    assert attempt(delivery.id) is None
    assert only_delivery().status == Status.DELIVERED
    assert stuck(now=later + timedelta(hours=1)) == []
    assert len(server.received) == 1
