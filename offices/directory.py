"""Write a chamber's office list into the directory, checked against the roster.

A code names a seat (HCA12: California's 12th district; SCA01: California's
class I Senate seat), so it goes to whoever holds that seat now: after a
special election the code stays and the member changes. The list is the
authority on which codes exist; the roster only says who sits where.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from legislators.models import Chamber, Legislator
from offices.lists import read_codes
from offices.models import Office


@dataclass
class Report:
    chamber: str
    listed: int = 0
    enrolled: int = 0
    # Members on the roster whose seat the list does not name.
    missing: list = field(default_factory=list)
    # Codes naming no seat a current member holds (a vacancy, a stale list).
    unmatched: list = field(default_factory=list)
    # (code, previous member's bioguide id, new one): the seat changed hands.
    moved: list = field(default_factory=list)


def seat_key(code):
    """(state, district or Senate class) a code names: HCA12 → ("CA", 12)."""
    return code[1:3], int(code[3:5])


def member_key(legislator):
    if legislator.chamber == Chamber.SENATE:
        return legislator.state, legislator.senate_class
    return legislator.state, legislator.district or 0


def apply_list(chamber, codes, *, now=None):
    """Enrol the chamber's current members whose seat the list names; take
    every other office of the chamber off CWC. Returns a Report."""
    now = now or timezone.now()
    report = Report(chamber=chamber, listed=len(codes))
    by_seat = {seat_key(code): code for code in codes}
    with transaction.atomic():
        members = list(Legislator.objects.filter(chamber=chamber, in_office=True))
        offices = {
            office.legislator_id: office
            for office in Office.objects.select_for_update().filter(
                legislator__in=[member.bioguide_id for member in members]
            )
        }
        holders_before = dict(
            Office.objects.filter(chamber=chamber, enrolled=True).values_list(
                "cwc_code", "legislator_id"
            )
        )
        current = set()
        for member in members:
            office = offices.get(member.bioguide_id) or Office(legislator=member)
            office.chamber = chamber
            code = by_seat.get(member_key(member))
            if code is None:
                # Not listed: CWC does not reach it. A code it once had is
                # kept for the record, but no longer used.
                office.enrolled = False
                report.missing.append(member)
            else:
                office.cwc_code, office.enrolled, office.last_listed_at = code, True, now
                current.add(code)
                report.enrolled += 1
                before = holders_before.get(code)
                if before and before != member.bioguide_id:
                    report.moved.append((code, before, member.bioguide_id))
            office.save()
        # Members who left, or moved to the other chamber, are reached no more
        # under their old code.
        Office.objects.filter(chamber=chamber, enrolled=True).exclude(
            legislator__in=[member.bioguide_id for member in members]
        ).update(enrolled=False)
    report.unmatched = sorted(set(codes) - current)
    return report


def describe(report):
    """Lines for a person: what was enrolled and what does not match the roster."""
    label = Chamber(report.chamber).label
    lines = [f"{label}: {report.listed} codes listed, {report.enrolled} offices reached by CWC."]
    for code, before, after in report.moved:
        lines.append(f"  {code} moved from {before} to {after} (the seat changed hands).")
    if report.missing:
        names = ", ".join(f"{m.bioguide_id} ({m.seat_label})" for m in report.missing)
        lines.append(f"  {len(report.missing)} members on the roster are not listed: {names}.")
    if report.unmatched:
        lines.append(
            f"  {len(report.unmatched)} listed codes match no current member: "
            f"{', '.join(report.unmatched)}."
        )
    return lines


def import_lists(sources, *, now=None):
    """Read every chamber's list first (a bad one refuses the lot), then
    apply them. sources: {chamber: path or URL}. Returns the Reports."""
    listed = {chamber: read_codes(source, chamber) for chamber, source in sources.items()}
    return [apply_list(chamber, codes, now=now) for chamber, codes in listed.items()]


def list_every_seat_for_demo():
    """For the demo alone, whose outbox only records letters: every current
    member's seat listed as if CWC reached it. Refused where letters really
    go to CWC, which reaches only the offices its own lists name."""
    if "cwc" in settings.DELIVERY_CHANNELS:
        raise ValueError("CWC delivers to the offices its lists name: run import_offices.")
    members = Legislator.objects.filter(in_office=True)
    seats = {Chamber.HOUSE: set(), Chamber.SENATE: set()}
    for member in members:
        state, number = member_key(member)
        seats[member.chamber].add(f"{member.chamber[0].upper()}{state}{number:02d}")
    return [apply_list(chamber, sorted(codes)) for chamber, codes in seats.items()]


def configured_sources():
    """{chamber: source} from CWC_HOUSE_OFFICES_SOURCE and CWC_SENATE_OFFICES_SOURCE."""
    configured = {
        Chamber.HOUSE: settings.CWC_HOUSE_OFFICES_SOURCE,
        Chamber.SENATE: settings.CWC_SENATE_OFFICES_SOURCE,
    }
    return {chamber: source for chamber, source in configured.items() if source}
