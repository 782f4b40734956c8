"""Small builders for delivery tests: saved rows with sensible defaults."""

import itertools

from campaigns.models import Campaign, CustomTarget, Letter, Submission, Supporter
from legislators.models import Legislator

_serial = itertools.count(1)


def new_legislator(**fields):
    n = next(_serial)
    defaults = {
        "bioguide_id": f"T{n:06d}",
        "first_name": "Nancy",
        "last_name": "Example",
        "chamber": "house",
        "state": "CA",
        "district": 12,
        "website": "https://example.house.gov",
        "contact_form_url": "https://example.house.gov/contact",
        "phone": "202-225-4965",
    }
    if fields.get("chamber") == "senate":
        defaults |= {"district": None, "senate_class": 1, "website": "https://example.senate.gov"}
        defaults["contact_form_url"] = "https://example.senate.gov/contact"
    return Legislator.objects.create(**defaults | fields)


def new_campaign(**fields):
    n = next(_serial)
    defaults = {
        "slug": f"campaign-{n}",
        "title": "Fund the libraries",
        "organization": "Friends of the Library",
        "organization_statement": "Friends of the Library represents 40,000 readers.",
        "letter_subject": "Please fund our libraries",
        "letter_body": "Dear {legislator_salutation}, please fund our libraries.",
        "topic": "Education",
        "bills": ["H.R. 1234", "S. 567"],
    }
    return Campaign.objects.create(**defaults | fields)


def new_supporter(campaign, **fields):
    n = next(_serial)
    defaults = {
        "email": f"supporter{n}@example.com",
        "prefix": "Ms.",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "street": "1 Main St",
        "city": "San Francisco",
        "state": "CA",
        "zip_code": "94110",
        "phone": "4155550100",
    }
    return Supporter.objects.create(campaign=campaign, **defaults | fields)


def new_custom_target(campaign, **fields):
    defaults = {"name": "Governor Example", "salutation": "Governor Example"}
    defaults["email"] = "governor@example.gov"
    return CustomTarget.objects.create(campaign=campaign, **defaults | fields)


def new_letter(*, to=None, campaign=None, supporter=None, **fields):
    """A QUEUED letter to `to` (a Legislator or a CustomTarget; a new
    representative by default)."""
    campaign = campaign or new_campaign()
    supporter = supporter or new_supporter(campaign)
    to = to or new_legislator()
    return Letter.objects.create(
        **_letter_fields(campaign, supporter, to, _submission(campaign, supporter)) | fields
    )


def new_letters(count, *, to=None, campaign=None):
    """count QUEUED letters to one office, from count supporters, made in bulk."""
    campaign = campaign or new_campaign()
    to = to or new_legislator()
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
    submissions = Submission.objects.bulk_create(
        Submission(
            idempotency_key=f"key-{next(_serial)}",
            campaign=campaign,
            supporter=item,
            subject="Please fund our libraries",
            body="Please fund our libraries.",
        )
        for item in supporters
    )
    return Letter.objects.bulk_create(
        Letter(**_letter_fields(campaign, item.supporter, to, item)) for item in submissions
    )


def _submission(campaign, supporter):
    return Submission.objects.create(
        idempotency_key=f"key-{next(_serial)}",
        campaign=campaign,
        supporter=supporter,
        subject=campaign.letter_subject,
        body=campaign.letter_body,
    )


def _letter_fields(campaign, supporter, to, submission):
    is_member = isinstance(to, Legislator)
    return {
        "campaign": campaign,
        "submission": submission,
        "supporter": supporter,
        "legislator": to if is_member else None,
        "custom_target": None if is_member else to,
        "subject": "Please fund our libraries",
        "salutation": to.salutation,
        "body": f"Dear {to.salutation},\n\nPlease fund our libraries.\n\nAda",
    }
