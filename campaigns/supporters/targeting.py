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
