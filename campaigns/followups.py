"""Did the office answer? Some weeks after a letter is delivered, its
supporter is asked, once per letter (so once per office and campaign), with
a signed link per answer that needs no login, works once and expires.

Beat runs ask_due (campaigns/tasks.ask_about_replies); emails.py sends the
question; views/replies.py takes the answer.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from campaigns.models import FollowUp, Letter

SALT = "campaigns.follow_up"
# Letters delivered long before the question was due are not asked about:
# turning the setting on must not email every supporter of years past.
LOOKBACK = timedelta(days=7)
BATCH = 1000


def due_letters(now):
    """Delivered letters whose question is due and not yet asked.

    Deliveries are read from the latest one already asked about on, not
    from LOOKBACK each time: an hourly run reads an hour of deliveries, not
    a week of them (a letter's delivery time is when it was recorded, and
    any recorded then has long been committed three weeks on).
    """
    asked_after = now - timedelta(weeks=settings.FOLLOW_UP_WEEKS)
    latest = FollowUp.objects.aggregate(latest=Max("delivered_at"))["latest"]
    since = asked_after - LOOKBACK
    read_on = Q(delivered_at__gt=since)
    if latest is not None and latest >= since:
        read_on = Q(delivered_at__gte=latest)
    return Letter.objects.filter(
        read_on,
        status=Letter.Status.DELIVERED,
        delivered_at__lte=asked_after,
        follow_up__isnull=True,
    )


def ask_due(now=None):
    """Record the questions now due, FOLLOW_UP_WEEKS after delivery (0 asks
    none); returns the new FollowUp ids grouped per supporter, one email each.

    A letter has one FollowUp at most (the database says so), and only the
    rows this call inserted are returned, so two runs at once ask no one twice.
    """
    if not settings.FOLLOW_UP_WEEKS:
        return []
    now = now or timezone.now()
    per_supporter = defaultdict(list)
    while True:
        due = list(
            due_letters(now)
            .order_by("delivered_at")
            .values_list("pk", "campaign", "delivered_at")[:BATCH]
        )
        asked = [
            FollowUp(letter_id=pk, campaign_id=campaign, delivered_at=delivered_at, asked_at=now)
            for pk, campaign, delivered_at in due
        ]
        with transaction.atomic():
            FollowUp.objects.bulk_create(asked, ignore_conflicts=True)
            # Rows another run inserted first kept their own uuid, not these.
            inserted = FollowUp.objects.filter(uuid__in=[row.uuid for row in asked])
            for pk, supporter in inserted.values_list("pk", "letter__supporter"):
                per_supporter[supporter].append(pk)
        if len(due) < BATCH:
            return list(per_supporter.values())


def answer_token(follow_up, answer):
    return signing.dumps({"f": follow_up.uuid.hex, "a": answer}, salt=SALT)


def read_token(token):
    """(FollowUp, answer) a link names. Raises signing.SignatureExpired past
    FOLLOW_UP_LINK_DAYS, signing.BadSignature for anything forged or cut."""
    payload = signing.loads(token, salt=SALT, max_age=timedelta(days=settings.FOLLOW_UP_LINK_DAYS))
    follow_up = (
        FollowUp.objects.select_related("letter__legislator", "letter__custom_target", "campaign")
        .filter(uuid=payload.get("f"))
        .first()
    )
    if follow_up is None or payload.get("a") not in FollowUp.Answer.values:
        raise signing.BadSignature("No such question or answer.")
    return follow_up, payload["a"]


def record(follow_up, answer, now=None):
    """Keep the supporter's answer unless the question has one already (the
    first answer stands); whether it was kept. follow_up is read again."""
    taken = FollowUp.objects.filter(pk=follow_up.pk, answered_at__isnull=True).update(
        answer=answer, answered_at=now or timezone.now()
    )
    follow_up.refresh_from_db()
    return taken == 1
