"""Every email to a supporter about their own letters, on the default mailer:
what they sent (or a request to confirm it), and any letter that failed.

Letters to offices go through the delivery channels instead, on
DELIVERY_MAILER, so a deployment can route them apart from supporter mail.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from campaigns.models import Letter, Submission, Supporter
from campaigns.text import one_line

SALT = "campaigns.confirm"
# Long enough for a weekend away from email, short enough that an old
# forwarded message cannot send letters months later.
MAX_AGE = 7 * 86400
# Letters not confirmed within it expire, so none goes out months later either.
CONFIRMATION_WINDOW = timedelta(seconds=MAX_AGE)


def confirmation_token(submission):
    return signing.dumps(submission.uuid.hex, salt=SALT)


def submission_for_token(token, campaign):
    """The submission a confirmation link names; BadSignature when forged or stale."""
    uuid_hex = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    submission = Submission.objects.filter(uuid=uuid_hex, campaign=campaign).first()
    if submission is None:
        raise signing.BadSignature("No such submission.")
    return submission


def send_confirmation(submission_id):
    submission = Submission.objects.select_related("campaign", "supporter").get(id=submission_id)
    campaign, supporter = submission.campaign, submission.supporter
    sent = list(
        submission.letters.select_related("legislator", "custom_target").order_by("salutation")
    )
    waiting = any(letter.status == Letter.Status.UNCONFIRMED for letter in sent)
    context = {
        "campaign": campaign,
        "supporter": supporter,
        "letters": sent,
        "sent": sent[0] if sent else None,
        "site_name": settings.SITE_NAME,
        "campaign_url": f"{settings.SITE_URL}{campaign.get_absolute_url()}",
        "confirm_url": settings.SITE_URL
        + reverse("campaign_confirm", args=[campaign.slug, confirmation_token(submission)]),
    }
    template = "campaigns/confirm_request_email.txt" if waiting else "campaigns/sent_email.txt"
    subject = "Please confirm your letters" if waiting else "Your letters are on their way"
    EmailMessage(
        subject=one_line(f"{subject}: {campaign.title}")[:200],
        body=render_to_string(template, context),
        to=[supporter.email],
    ).send()


def tell_supporter_of_failure(letter_id):
    """Email the office's own contact page (and phone) and the letter to paste
    there; the technical reason stays with staff, on the letter. False if the
    letter is no longer failed or rejected (retried since)."""
    letter = Letter.objects.select_related(
        "campaign", "supporter", "legislator", "custom_target"
    ).get(id=letter_id)
    if letter.status not in (Letter.Status.FAILED, Letter.Status.REJECTED):
        return False
    legislator = letter.legislator
    context = {
        "letter": letter,
        "rejected": letter.status == Letter.Status.REJECTED,
        "supporter": letter.supporter,
        "campaign": letter.campaign,
        "recipient_name": legislator.display_name if legislator else letter.custom_target.name,
        "contact_url": legislator.contact_url if legislator else "",
        "phone": legislator.phone if legislator else "",
        "email": "" if legislator else letter.custom_target.email,
        "local_offices": local_offices(legislator, letter.supporter) if legislator else [],
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("campaigns/email/letter_failed_subject.txt", context)
    body = render_to_string("campaigns/email/letter_failed.txt", context)
    EmailMessage(one_line(subject), body, to=[letter.supporter.email]).send()
    return True


def local_offices(legislator, supporter, limit=3):
    """The member's offices back home with a phone, those in the supporter's
    city first: a call there is the surest way left to be heard."""
    offices = [office for office in legislator.offices.all() if office.phone]
    offices.sort(key=lambda office: office.city.casefold() != supporter.city.casefold())
    return offices[:limit]


def tell_owner_of_repeat(campaign_id, email):
    """Someone in another browser typed this address on a campaign it has
    written on, and pressed send: nothing was sent, and its owner should know."""
    supporter = Supporter.objects.select_related("campaign").filter(
        campaign_id=campaign_id, email=email
    )
    supporter = supporter.first()
    if supporter is None:
        return
    context = {
        "supporter": supporter,
        "campaign": supporter.campaign,
        "letters": list(supporter.letters.order_by("salutation")),
        "campaign_url": f"{settings.SITE_URL}{supporter.campaign.get_absolute_url()}",
    }
    EmailMessage(
        subject=one_line(f"Someone tried to write again as you: {supporter.campaign.title}")[:200],
        body=render_to_string("campaigns/email/repeat_attempt.txt", context),
        to=[supporter.email],
    ).send()
