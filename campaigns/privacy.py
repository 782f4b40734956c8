"""Supporters' personal data: how long we keep it, and a person's copy or erasure of it.

Street addresses and phone numbers are needed only until the letters that
carry them are delivered (or have failed, or were cancelled); after
ADDRESS_RETENTION_DAYS more they are erased. City, state, ZIP and district
stay, because the statistics count letters by place. Hand-delivery packets
print the street too, so their PDFs go after as many days, or with the
supporter. Staff answer a
supporter's request with export_supporter (everything we hold about them) or
delete_supporter (all of it, their letters included).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns import packets
from campaigns.models import Letter, Packet, Submission, Supporter

FINISHED = [
    Letter.Status.DELIVERED,
    Letter.Status.REJECTED,
    Letter.Status.FAILED,
    Letter.Status.CANCELLED,
    Letter.Status.NO_ROUTE,
]


def erasable_supporters(older_than_days, *, now):
    """Supporters with an address to erase whose letters all finished before the cutoff."""
    cutoff = now - timedelta(days=older_than_days)
    letters = Letter.objects.filter(supporter=OuterRef("pk"))
    # A cancelled letter records no time of its own; it was never going to
    # be sent, so the time it was written is as good.
    finished_at = Coalesce("delivered_at", "failed_at", "created_at")
    recent = letters.alias(finished_at=finished_at).filter(finished_at__gt=cutoff)
    return (
        Supporter.objects.filter(Exists(letters))
        .exclude(Exists(letters.exclude(status__in=FINISHED)))
        .exclude(Exists(recent))
        # A returning supporter's new letters bring their street back, so
        # "not yet erased" is about the columns, not address_erased_at.
        .exclude(street="", phone="")
    )


@transaction.atomic
def erase_delivered_addresses(older_than_days, *, now=None):
    """Blank the street and phone of supporters whose letters all finished more
    than older_than_days ago, and the address their lookup matched. Returns how
    many supporters."""
    now = now or timezone.now()
    supporters = erasable_supporters(older_than_days, now=now)
    # The lookup's matched address is the street address again, as the
    # geocoder spelled it.
    Submission.objects.filter(supporter__in=supporters).exclude(matched_address="").update(
        matched_address=""
    )
    return supporters.update(street="", phone="", address_erased_at=now)


def erase_old_addresses():
    """What the daily beat task runs: erase per ADDRESS_RETENTION_DAYS, 0 keeping everything."""
    days = settings.ADDRESS_RETENTION_DAYS
    if not days:
        return 0
    packets.forget_files(Packet.objects.filter(built_at__lt=timezone.now() - timedelta(days=days)))
    return erase_delivered_addresses(days)


def export_supporter(supporter):
    """Everything we hold about one supporter on one campaign, ready for json.dumps
    with DjangoJSONEncoder: their row, their form posts and their letters."""
    letters = supporter.letters.order_by("created_at", "pk")
    return {
        "campaign": supporter.campaign.slug,
        "supporter": Supporter.objects.filter(pk=supporter.pk).values().get(),
        "submissions": list(supporter.submissions.order_by("created_at", "pk").values()),
        "letters": list(
            letters.values(
                "uuid",
                "salutation",
                "legislator__bioguide_id",
                "custom_target__name",
                "subject",
                "body",
                "status",
                "channel",
                "attempts",
                "failure_reason",
                "created_at",
                "delivered_at",
                "failed_at",
                # Their answer to "did the office reply?", if asked.
                "follow_up__answer",
                "follow_up__answered_at",
            )
        ),
    }


def delete_supporter(supporter):
    """Delete one supporter with their submissions and letters, delivered ones too.

    Returns how many rows of each went, e.g. {"letters": 3, "submissions": 1,
    "supporters": 1}. A letter still queued finds nothing to claim and is never
    sent; the statistics, counted from rows, no longer count these letters.
    """
    packets.forget_files(Packet.objects.filter(entries__letter__supporter=supporter))
    _, deleted = supporter.delete()
    return {
        "supporters": deleted.get("campaigns.Supporter", 0),
        "submissions": deleted.get("campaigns.Submission", 0),
        "letters": deleted.get("campaigns.Letter", 0),
    }
