"""An organizer chooses the committees a campaign writes to."""

from django.db import transaction
from django.db.models import Q

from campaigns.models import Campaign
from committees.models import Committee, CommitteeTargeting

MAX_RESULTS = 25


def search(query):
    """Current committees by code ("SSEG", "sseg01") or by words of the name,
    subcommittees by their own or their parent's name."""
    words = query.split()
    if not words:
        return []
    matches = Committee.objects.filter(current=True).select_related("parent")
    if len(words) == 1 and len(words[0]) <= 6:
        by_code = matches.filter(code__istartswith=words[0])
        if by_code.exists():
            return list(by_code.order_by("code")[:MAX_RESULTS])
    for word in words:
        matches = matches.filter(Q(name__icontains=word) | Q(parent__name__icontains=word))
    return list(matches.order_by("code")[:MAX_RESULTS])


@transaction.atomic
def add_committee(campaign, committee):
    """Write to this committee too; the campaign now targets committees."""
    targeting, _ = CommitteeTargeting.objects.get_or_create(campaign=campaign)
    targeting.committees.add(committee)
    if campaign.targets != Campaign.Targets.COMMITTEE:
        campaign.targets = Campaign.Targets.COMMITTEE
        campaign.save(update_fields=["targets", "updated_at"])


def remove_committee(campaign, committee):
    targeting = CommitteeTargeting.objects.filter(campaign=campaign).first()
    if targeting:
        targeting.committees.remove(committee)


def set_write_anyway(campaign, allowed):
    CommitteeTargeting.objects.update_or_create(
        campaign=campaign, defaults={"write_anyway": allowed}
    )
