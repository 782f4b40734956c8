"""Putting letters on the queue, taking them back off: what the supporter
flow and the admin call. Only letter ids travel through the broker, and only
once the transaction that wrote the letters has committed."""

from django.db import transaction
from django.utils import timezone

from campaigns.models import Letter
from campaigns.tasks import deliver


def enqueue_letters(letter_ids):
    for letter_id in letter_ids:
        deliver.delay_on_commit(letter_id)


def retry_failed(letters):
    """Send failed letters again, with a fresh set of attempts. Returns how many."""
    ids = list(letters.filter(status=Letter.Status.FAILED).values_list("id", flat=True))
    with transaction.atomic():
        count = Letter.objects.filter(id__in=ids, status=Letter.Status.FAILED).update(
            status=Letter.Status.QUEUED,
            attempts=0,
            failure_reason="",
            failed_at=None,
            claimed_at=None,
            next_attempt_at=timezone.now(),
        )
        enqueue_letters(ids)
    return count


def cancel_queued(campaign):
    """Stop a campaign's letters that have not gone out, confirmed or not. Returns how many.

    A letter being sent this very moment (SENDING) finishes; messages
    already queued for the cancelled ones find nothing to claim.
    """
    return campaign.letters.filter(
        status__in=[Letter.Status.UNCONFIRMED, Letter.Status.QUEUED, Letter.Status.RETRYING]
    ).update(status=Letter.Status.CANCELLED, next_attempt_at=None)
