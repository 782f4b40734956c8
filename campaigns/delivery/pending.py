"""What beat's minute sweep finds left behind before the broker: postings,
letters and confirmation emails committed but never handed to it (it was
down when the supporter sent), and letters held for a confirmation that
never came.

Plain queries; campaigns.tasks.publish_pending hands the ids over.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.emails import CONFIRMATION_WINDOW
from campaigns.models import Letter, Posting, Submission

Status = Letter.Status


def unaccepted_postings(now=None):
    """Ids of postings still not accepted a grace period after their task was
    last handed over: lost before the broker, or by a worker that died.
    Accepting is idempotent, so a task that was only slow costs a second look."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.DELIVERY_PUBLISH_GRACE_SECONDS)
    return list(
        Posting.objects.filter(accepted_at__isnull=True, failed_at__isnull=True)
        .alias(handed_over=Coalesce("published_at", "created_at"))
        .filter(handed_over__lte=cutoff)
        .values_list("id", flat=True)
    )


def unpublished_letters(now=None):
    """Ids of letters queued longer than the grace period with no message on the broker."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.DELIVERY_PUBLISH_GRACE_SECONDS)
    return list(
        Letter.objects.filter(status=Status.QUEUED, published_at__isnull=True)
        .alias(queued_since=Coalesce("next_attempt_at", "created_at"))
        .filter(queued_since__lte=cutoff)
        .values_list("id", flat=True)
    )


def unqueued_confirmations(now=None):
    """Ids of submissions whose email never reached the broker, while it still matters:
    within the confirmation window, and only for submissions that made letters."""
    now = now or timezone.now()
    grace = timedelta(seconds=settings.DELIVERY_PUBLISH_GRACE_SECONDS)
    return list(
        Submission.objects.filter(
            Exists(Letter.objects.filter(submission=OuterRef("pk"))),
            confirmation_queued_at__isnull=True,
            created_at__lte=now - grace,
            created_at__gt=now - CONFIRMATION_WINDOW,
        ).values_list("id", flat=True)
    )


def expire_unconfirmed(now=None):
    """Letters never confirmed within the window will not go: say so. Returns how many."""
    cutoff = (now or timezone.now()) - CONFIRMATION_WINDOW
    return Letter.objects.filter(status=Status.UNCONFIRMED, created_at__lte=cutoff).update(
        status=Status.EXPIRED, next_attempt_at=None
    )
