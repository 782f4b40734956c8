"""Small builders for saved rows, shared by every test folder. Each makes what
it needs with sensible defaults and takes any model field as a keyword."""

from itertools import count

from django.db.models import F
from django.utils import timezone

from campaigns.models import (
    Campaign,
    CustomTarget,
    Event,
    Letter,
    Submission,
    Supporter,
    VisitTally,
)
from legislators.models import Chamber, Legislator, ZipDistrict
from offices.models import Office

_serial = count(100000)


def legislator(state="CA", district=None, **fields):
    """A House member when district is given, else a senator (class 1)."""
    number = next(_serial)
    chamber = Chamber.SENATE if district is None else Chamber.HOUSE
    site = f"https://member{number}.{chamber}.gov"
    values = {
        "bioguide_id": f"T{number:06d}",
        "first_name": "Test",
        "last_name": f"Member{number}",
        "state": state,
        "party": "Independent",
        "phone": "202-555-0100",
        "chamber": chamber,
        "district": district,
        "senate_class": 1 if district is None else None,
        "website": site,
        "contact_form_url": f"{site}/contact",
    }
    member = Legislator.objects.create(**values | fields)
    office(member)
    return member


def office(member, **fields):
    """The member's directory entry: CWC reaches it, under its seat's code,
    as the chamber's list would say (tests only: the app never derives codes)."""
    if member.chamber == Chamber.SENATE:
        code = f"S{member.state}{member.senate_class or 1:02d}"
    else:
        code = f"H{member.state}{member.district or 0:02d}"
    values = {"chamber": member.chamber, "cwc_code": code, "enrolled": True}
    entry, _ = Office.objects.update_or_create(legislator=member, defaults=values | fields)
    return entry


def delegation(state, district, senators=2):
    """The senators and the representative of one seat."""
    ranks = ["senior", "junior"]
    members = [legislator(state, state_rank=ranks[i], senate_class=i + 1) for i in range(senators)]
    return [*members, legislator(state, district)]


def zip_rows(*rows):
    ZipDistrict.objects.bulk_create(ZipDistrict(zcta=z, state=s, district=d) for z, s, d in rows)


def campaign(**fields):
    number = next(_serial)
    values = {
        "slug": f"campaign-{number}",
        "title": f"Campaign {number}",
        "status": Campaign.Status.LIVE,
        "organization": "Friends of the Library",
        "organization_statement": "Friends of the Library represents 40,000 readers.",
        "letter_subject": "Please act",
        "letter_body": "Dear {legislator_title} {legislator_last_name},\n\nPlease act.",
        "topic": "Education",
        "bills": ["H.R. 1234", "S. 567"],
    }
    return Campaign.objects.create(**values | fields)


def supporter(campaign, **fields):
    number = next(_serial)
    values = {
        "email": f"supporter{number}@example.org",
        "prefix": Supporter.Prefix.MS,
        "first_name": "Ada",
        "last_name": f"Supporter{number}",
        "street": f"{number} Main St",
        "city": "Austin",
        "state": "TX",
        "zip_code": "78701",
        "phone": "5125550100",
    }
    return Supporter.objects.create(campaign=campaign, **values | fields)


def submission(campaign, **fields):
    number = next(_serial)
    if "supporter" not in fields:
        fields["supporter"] = supporter(campaign)
    values = {
        "idempotency_key": f"key-{number}",
        "subject": campaign.letter_subject,
        "body": campaign.letter_body,
    }
    return Submission.objects.create(campaign=campaign, **values | fields)


def custom_target(campaign, **fields):
    values = {
        "name": "Office of the Governor",
        "salutation": "Governor Abbott",
        "email": "governor@example.org",
        "verified_at": timezone.now(),
    }
    return CustomTarget.objects.create(campaign=campaign, **values | fields)


def letter(campaign=None, to=None, **fields):
    """A letter (QUEUED unless `status` says otherwise) to `to`, a member of
    Congress or a CustomTarget (a new representative by default), from a new
    supporter's submission made at the same time unless `submission` or
    `supporter` is given."""
    campaign = campaign or _default_campaign()
    to = to or legislator(district=12)
    post = fields.pop("submission", None)
    if post is None:
        same_time = {"created_at": fields["created_at"]} if "created_at" in fields else {}
        if "supporter" in fields:
            same_time["supporter"] = fields["supporter"]
        post = submission(campaign, **same_time)
    return Letter.objects.create(**_letter_fields(campaign, post, to) | fields)


def letters(count, *, to=None, campaign=None):
    """count QUEUED letters to one office, from count supporters, made in bulk."""
    campaign = campaign or _default_campaign()
    to = to or legislator(district=12)
    supporters = Supporter.objects.bulk_create(
        Supporter(
            campaign=campaign,
            email=f"bulk{next(_serial)}@example.com",
            prefix="Mr.",
            first_name="Sam",
            last_name=f"Reader {i}",
            street=f"{i} Main St",
            city="Oakland",
            state="CA",
            zip_code="94612",
        )
        for i in range(count)
    )
    posts = Submission.objects.bulk_create(
        Submission(
            idempotency_key=f"key-{next(_serial)}",
            campaign=campaign,
            supporter=item,
            subject=campaign.letter_subject,
            body=campaign.letter_body,
        )
        for item in supporters
    )
    return Letter.objects.bulk_create(
        Letter(**_letter_fields(campaign, post, to)) for post in posts
    )


def event(campaign, kind=Event.Kind.LOOKUP, **fields):
    return Event.objects.create(campaign=campaign, kind=kind, **fields)


def visit(campaign, source="", created_at=None):
    """One more visitor on the local day of created_at (today by default)."""
    day = timezone.localdate(created_at) if created_at else timezone.localdate()
    tally, _ = VisitTally.objects.get_or_create(campaign=campaign, day=day, source=source)
    VisitTally.objects.filter(pk=tally.pk).update(visits=F("visits") + 1)


def _default_campaign():
    return campaign()


def _letter_fields(campaign, post, to):
    is_member = isinstance(to, Legislator)
    return {
        "campaign": campaign,
        "submission": post,
        "supporter": post.supporter,
        "legislator": to if is_member else None,
        "custom_target": None if is_member else to,
        "subject": post.subject,
        "salutation": to.salutation,
        "body": f"Dear {to.salutation},\n\nPlease act.\n\n{post.supporter.first_name}",
    }
