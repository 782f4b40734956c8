"""Which offices one supporter's letter goes to, for one campaign."""

from committees.targeting import committee_recipients
from legislators.models import Chamber


def member_recipients(campaign, legislators, write_anyway=False):
    """The supporter's own members of Congress that this campaign writes to.

    Members are resolved when the supporter looks up their address, from the
    in-office roster, so a new Congress needs no change to live campaigns.
    """
    Targets = type(campaign).Targets
    if campaign.targets == Targets.CONGRESS:
        return list(legislators)
    if campaign.targets == Targets.SENATE:
        return [member for member in legislators if member.chamber == Chamber.SENATE]
    if campaign.targets == Targets.HOUSE:
        return [member for member in legislators if member.chamber == Chamber.HOUSE]
    if campaign.targets == Targets.MEMBERS:
        chosen = set(campaign.target_members.values_list("id", flat=True))
        return [member for member in legislators if member.id in chosen]
    if campaign.targets == Targets.COMMITTEE:
        return committee_recipients(campaign, legislators, write_anyway)
    return []


def writes_to(campaign, chamber):
    """Whether some supporter's letter may go to a member of this chamber."""
    Targets = type(campaign).Targets
    if campaign.targets == Targets.CONGRESS:
        return True
    if campaign.targets == Targets.MEMBERS:
        return campaign.target_members.filter(chamber=chamber).exists()
    return campaign.targets == {Chamber.SENATE: Targets.SENATE, Chamber.HOUSE: Targets.HOUSE}.get(
        chamber
    )


def settle(campaign, candidates):
    """The members to write to when a lookup found several districts, if the
    choice among them changes nothing for this campaign (a senators-only
    campaign in a ZIP split between House districts); None when it matters
    and the supporter has to choose."""
    choices = [member_recipients(campaign, candidate.legislators) for candidate in candidates]
    first = {member.pk for member in choices[0]} if choices else set()
    if any({member.pk for member in choice} != first for choice in choices[1:]):
        return None
    return choices[0] if choices else []
