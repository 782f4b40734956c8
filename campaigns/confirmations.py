"""Emails to the supporter about their own letters: sent, or waiting for a click."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from campaigns.delivery.cwc.message import one_line
from campaigns.models import Letter, Submission

SALT = "campaigns.confirm"
# Long enough for a weekend away from email, short enough that an old
# forwarded message cannot send letters months later.
MAX_AGE = 7 * 86400


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
    sent = list(submission.letters.order_by("salutation"))
    waiting = any(letter.status == Letter.Status.UNCONFIRMED for letter in sent)
    context = {
        "campaign": campaign,
        "supporter": supporter,
        "letters": sent,
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
