"""What a supporter in a sample district would see, for the organizer's preview."""

from dataclasses import dataclass, field

from campaigns import letters
from campaigns.supporters.submit import recipient_values
from campaigns.supporters.targeting import member_recipients, settle
from legislators.lookup import InvalidQuery, Status, find_representation, legislators_for_districts
from legislators.models import Chamber, Legislator

SAMPLE = {
    "first_name": "Sam",
    "last_name": "Sample",
    "street": "1 Main St",
    "city": "Sampletown",
}


@dataclass
class Preview:
    members: list  # the sample supporter's members this campaign writes to
    represented_by: list  # all the sample supporter's members
    letters: list = field(default_factory=list)  # (recipient, LetterTemplate)
    place: str = ""
    message: str = ""


def sample_members(campaign, zip_code):
    """Members for the ZIP the organizer typed, or for the first House seat on
    file; a ZIP in several districts decides as it would for a supporter."""
    if zip_code:
        try:
            found = find_representation(zip_code=zip_code)
        except InvalidQuery as error:
            return [], "", " ".join(error.errors.values())
        if found.status == Status.OK:
            return found.legislators, f"ZIP code {zip_code}", ""
        if found.status == Status.AMBIGUOUS:
            settled = settle(campaign, found.candidates)
            if settled is not None:
                return settled, f"ZIP code {zip_code}", ""
        return [], "", found.message
    member = (
        Legislator.objects.filter(in_office=True, chamber=Chamber.HOUSE)
        .order_by("state", "district")
        .first()
    )
    if member is None:
        return [], "", "No members of Congress are loaded yet: run import_legislators."
    return legislators_for_districts([member.seat]), member.seat.label, ""


def sample_preview(campaign, zip_code=""):
    members, place, message = sample_members(campaign, zip_code.strip())
    state = members[0].state if members else ""
    values = letters.supporter_context(**SAMPLE, state=state, zip_code=zip_code or "00000")
    draft = letters.for_supporter(campaign.letter_template(), values)
    written_to = member_recipients(campaign, members)
    recipients = [*written_to, *campaign.custom_targets.all()]
    rendered = [(r, letters.for_recipient(draft, recipient_values(r))) for r in recipients]
    return Preview(
        members=written_to,
        represented_by=members,
        letters=rendered,
        place=place,
        message=message,
    )
