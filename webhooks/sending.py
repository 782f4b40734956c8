"""Sending one webhook delivery: claim it, check the URL, POST the signed
event, record the attempt, and decide what comes next.

Like letters, a delivery is claimed with a conditional UPDATE, so two
workers holding the same id never both send it. A receiver should still
deduplicate by the event id header: an answer lost on the way back makes
us send again.
"""

import json
import logging
import random
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from webhooks import signing
from webhooks.addresses import UnsafeUrl, check_url
from webhooks.models import Attempt, Delivery, Webhook

logger = logging.getLogger(__name__)

Status = Delivery.Status
# The longest error text kept per attempt.
MAX_ERROR = 500


def _lease_over(now):
    """Claims older than this belong to a worker that is gone."""
    return now - timedelta(seconds=settings.WEBHOOK_TIMEOUT * 3 + 60)


def claim(delivery_id):
    """The claim's time, or None when the delivery is not waiting (or is
    being sent by a worker whose lease has not run out)."""
    now = timezone.now()
    lease_over = _lease_over(now)
    taken = (
        Delivery.objects.filter(id=delivery_id)
        .filter(
            Q(status__in=[Status.PENDING, Status.RETRYING])
            | Q(status=Status.SENDING, claimed_at__lt=lease_over)
        )
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    return now if taken == 1 else None


def attempt(delivery_id):
    """Try once. Returns the seconds to wait before the next try, or None
    when there is nothing more to do (delivered, failed for good, or not ours)."""
    claimed_at = claim(delivery_id)
    if claimed_at is None:
        return None
    delivery = Delivery.objects.select_related("webhook__owner").get(id=delivery_id)
    hook = delivery.webhook
    if not hook.active:
        _record(delivery, error="Not sent: the webhook is disabled.")
        _finish(delivery, claimed_at, Status.FAILED)
        return None
    status_code, error, took = post(hook, delivery)
    _record(delivery, status_code=status_code, error=error, milliseconds=took)
    if error is None:
        _finish(delivery, claimed_at, Status.DELIVERED, delivered_at=timezone.now())
        Webhook.objects.filter(pk=hook.pk).update(failures_in_a_row=0)
        return None
    failures = _count_failure(hook)
    if failures >= settings.WEBHOOK_DISABLE_AFTER:
        disable(hook, f"{failures} failed attempts in a row; the last: {error}")
    if (
        delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS
        or failures >= settings.WEBHOOK_DISABLE_AFTER
    ):
        _finish(delivery, claimed_at, Status.FAILED)
        return None
    delay = backoff(delivery.attempts)
    _finish(
        delivery,
        claimed_at,
        Status.RETRYING,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
    )
    return delay


def post(hook, delivery):
    """(status code or None, error or None, milliseconds) for one signed POST."""
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    headers = signing.headers(hook.secret, body, delivery.event, delivery.event_id)
    started = time.monotonic()
    try:
        check_url(hook.url)
        response = requests.post(
            hook.url,
            data=body,
            headers=headers,
            timeout=(5, settings.WEBHOOK_TIMEOUT),
            # A redirect could lead anywhere, past the address check.
            allow_redirects=False,
        )
    except UnsafeUrl as error:
        return None, f"Refused: {error}", 0
    except requests.RequestException as error:
        return None, f"{error.__class__.__name__}: {error}"[:MAX_ERROR], _since(started)
    took = _since(started)
    if 200 <= response.status_code < 300:
        return response.status_code, None, took
    return response.status_code, f"HTTP {response.status_code}: {response.text[:200]}", took


def stuck(now=None):
    """Deliveries whose message was lost: waiting and due for longer than the
    lease (a broker restart), or claimed by a worker that is gone. Sending
    them again is safe: the claim lets one worker through."""
    now = now or timezone.now()
    lease_over = _lease_over(now)
    waiting = Q(status__in=[Status.PENDING, Status.RETRYING]) & (
        Q(next_attempt_at__lt=lease_over)
        | Q(next_attempt_at__isnull=True, created_at__lt=lease_over)
    )
    lost = Q(status=Status.SENDING, claimed_at__lt=lease_over)
    ids = list(Delivery.objects.filter(waiting | lost).values_list("id", flat=True))
    # Restart the lease, so the next run leaves these alone while they wait in the queue.
    Delivery.objects.filter(id__in=ids, status__in=[Status.PENDING, Status.RETRYING]).update(
        next_attempt_at=now
    )
    return ids


def backoff(attempts):
    """Doubling from WEBHOOK_BACKOFF_BASE seconds to an hour, jittered down by up to half."""
    delay = min(3600.0, settings.WEBHOOK_BACKOFF_BASE * 2 ** (attempts - 1))
    return random.uniform(delay / 2, delay)


def disable(hook, reason):
    """Stop sending to this webhook and tell its owner, once."""
    now = timezone.now()
    if not Webhook.objects.filter(pk=hook.pk, active=True).update(
        active=False, disabled_at=now, disabled_reason=reason
    ):
        return
    logger.warning("Disabled webhook %s: %s", hook.pk, reason)
    if hook.owner.email:
        EmailMessage(
            subject="Your webhook was turned off",
            body=render_to_string(
                "webhooks/disabled_email.txt",
                {"hook": hook, "reason": reason, "site_url": settings.SITE_URL},
            ),
            to=[hook.owner.email],
        ).send()


def _count_failure(hook):
    Webhook.objects.filter(pk=hook.pk).update(failures_in_a_row=F("failures_in_a_row") + 1)
    return Webhook.objects.values_list("failures_in_a_row", flat=True).get(pk=hook.pk)


def _record(delivery, status_code=None, error=None, milliseconds=0):
    Attempt.objects.create(
        delivery=delivery, status_code=status_code, error=error or "", milliseconds=milliseconds
    )


def _finish(delivery, claimed_at, status, **fields):
    Delivery.objects.filter(id=delivery.id, status=Status.SENDING, claimed_at=claimed_at).update(
        status=status, **fields
    )


def _since(started):
    return int((time.monotonic() - started) * 1000)
