"""What a lookup answers, and its JSON form (shared by the view and find_reps)."""

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from legislators.divisions import STATES, Seat
from legislators.models import Chamber


class Status(StrEnum):
    OK = "ok"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"
    ERROR = "error"


@dataclass(frozen=True)
class Match:
    """A backend's answer. No seats means it found no such address; a
    backend that cannot answer raises DistrictLookupError instead."""

    seats: tuple[Seat, ...]
    source: str
    matched_address: str = ""
    approximate: bool = False
    # Set when the backend knows better than "we couldn't find that address".
    message: str = ""


@dataclass(frozen=True)
class Vacancy:
    chamber: str
    state: str
    seat: Seat | None = None

    def __str__(self):
        if self.seat is not None:
            return _("The House seat for %(seat)s is vacant.") % {"seat": self.seat.name}
        return _("One of %(state)s's Senate seats is vacant.") % {"state": STATES[self.state][1]}


@dataclass
class Candidate:
    """One district an ambiguous lookup could not rule out."""

    seat: Seat
    legislators: list = field(default_factory=list)

    @property
    def representative(self):
        return next((m for m in self.legislators if m.chamber == Chamber.HOUSE), None)

    @property
    def vacant(self):
        return self.representative is None


@dataclass
class Representation:
    status: Status
    message: str
    query: object
    source: str = ""
    matched_address: str = ""
    approximate: bool = False
    # One seat when ok; the candidates' seats when ambiguous.
    districts: list = field(default_factory=list)
    # Whom to write to, senators first. Empty unless ok.
    legislators: list = field(default_factory=list)
    vacancies: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def vacant(self):
        return bool(self.vacancies)

    @property
    def candidate_senators(self):
        """The senators of the candidates' states, once each (for display)."""
        seen = {}
        for candidate in self.candidates:
            for member in candidate.legislators:
                if member.chamber == Chamber.SENATE:
                    seen.setdefault(member.bioguide_id, member)
        return list(seen.values())

    def to_dict(self):
        return {
            "status": str(self.status),
            "message": self.message,
            "query": str(self.query),
            "matched_address": self.matched_address,
            "source": self.source,
            "approximate": self.approximate,
            "districts": [seat_dict(seat) for seat in self.districts],
            "legislators": [legislator_dict(member) for member in self.legislators],
            "vacancies": [
                {"chamber": v.chamber, "state": v.state, "message": str(v)} for v in self.vacancies
            ],
            "candidates": [
                {
                    "district": seat_dict(candidate.seat),
                    "vacant": candidate.vacant,
                    "legislators": [legislator_dict(m) for m in candidate.legislators],
                }
                for candidate in self.candidates
            ],
            "notes": list(self.notes),
        }


def seat_dict(seat):
    return {
        "ocd_id": seat.ocd_id,
        "state": seat.state,
        "district": seat.number,
        "label": seat.label,
        "name": seat.name,
    }


def legislator_dict(member):
    return {
        "bioguide_id": member.bioguide_id,
        "name": member.display_name,
        "title": member.title,
        "salutation": member.salutation,
        "chamber": member.chamber,
        "state": member.state,
        "district": member.district,
        "party": member.party,
        "phone": member.phone,
        "website": member.website,
        "contact_url": member.contact_url,
        "photo_url": member.photo_url,
    }
