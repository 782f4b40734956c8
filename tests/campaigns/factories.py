"""Small builders for campaign rows. Each makes what it needs and takes any
model field as a keyword to override."""

from itertools import count

from campaigns.models import Campaign, CustomTarget, Event, Letter, Submission, Supporter
from tests.legislators.factories import legislator as legislator  # members of Congress

_serial = count(1)


def campaign(**fields):
    number = next(_serial)
    values = {
        "slug": f"campaign-{number}",
        "title": f"Campaign {number}",
        "status": Campaign.Status.LIVE,
        "letter_subject": "Please act",
        "letter_body": "Dear {legislator_title} {legislator_last_name},\n\nPlease act.",
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


def letter(campaign, recipient=None, **fields):
    """A letter to recipient (a member of Congress or a CustomTarget; a new
    senator by default), from a new supporter's submission made at the same
    time unless `submission` is given."""
    recipient = recipient or legislator()
    same_time = {"created_at": fields["created_at"]} if "created_at" in fields else {}
    post = fields.pop("submission", None) or submission(campaign, **same_time)
    values = {
        "supporter": post.supporter,
        "subject": post.subject,
        "salutation": recipient.salutation,
        "body": post.body,
        ("custom_target" if isinstance(recipient, CustomTarget) else "legislator"): recipient,
    }
    return Letter.objects.create(campaign=campaign, submission=post, **values | fields)


def custom_target(campaign, **fields):
    values = {
        "name": "Office of the Governor",
        "salutation": "Governor Abbott",
        "email": "governor@example.org",
    }
    return CustomTarget.objects.create(campaign=campaign, **values | fields)


def event(campaign, kind=Event.Kind.VISIT, **fields):
    return Event.objects.create(campaign=campaign, kind=kind, **fields)
