"""Letters to committee members: which of a supporter's members sit on the
campaign's committees, and what to tell a supporter when none of them does."""

from dataclasses import dataclass, field

from committees.models import Committee, CommitteeTargeting, Membership
from legislators.models import Legislator


def targeting_of(campaign):
    try:
        return campaign.committee_targeting
    except CommitteeTargeting.DoesNotExist:
        return None


def target_committees(campaign):
    """The campaign's committees that still exist, subcommittees with their parent."""
    return list(
        Committee.objects.filter(campaigns__campaign=campaign, current=True)
        .select_related("parent")
        .order_by("code")
    )


def seats_by_member(committees, members):
    """{legislator id: [committees among these that the member sits on]}."""
    seats = {}
    memberships = Membership.objects.filter(
        committee__in=committees, legislator__in=[member.id for member in members]
    ).select_related("committee__parent")
    for membership in memberships:
        seats.setdefault(membership.legislator_id, []).append(membership.committee)
    return seats


def committee_recipients(campaign, members, write_anyway=False):
    """The supporter's members who sit on the campaign's committees; all of
    them when none does, the organizer allows it and the supporter chose to."""
    seats = seats_by_member(target_committees(campaign), members)
    seated = [member for member in members if member.id in seats]
    if not seated and write_anyway and _allows_writing_anyway(campaign):
        return list(members)
    return seated


def _allows_writing_anyway(campaign):
    targeting = targeting_of(campaign)
    return bool(targeting and targeting.write_anyway)


@dataclass
class CommitteeNotice:
    """What the page says about a committee campaign to one supporter."""

    committees: list
    # (member, [committees]) for each of the supporter's members, in order.
    reasons: list = field(default_factory=list)
    # When none of theirs sits on them: who from their state does.
    from_state: list = field(default_factory=list)
    write_anyway_offered: bool = False
    writing_anyway: bool = False

    @property
    def none_seated(self):
        return not any(committees for _member, committees in self.reasons)


def committee_notice(campaign, members, write_anyway=False):
    """None for a campaign that does not write to committees."""
    if campaign.targets != type(campaign).Targets.COMMITTEE:
        return None
    committees = target_committees(campaign)
    seats = seats_by_member(committees, members)
    notice = CommitteeNotice(
        committees=committees, reasons=[(member, seats.get(member.id, [])) for member in members]
    )
    if notice.none_seated and members:
        notice.from_state = list(
            Legislator.objects.filter(
                state=members[0].state,
                in_office=True,
                committee_memberships__committee__in=committees,
            )
            .distinct()
            .order_by("chamber", "district", "last_name")
        )
        notice.write_anyway_offered = _allows_writing_anyway(campaign)
        notice.writing_anyway = notice.write_anyway_offered and write_anyway
    return notice
