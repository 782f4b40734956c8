"""Every email to a supporter about their own letters, on the default mailer:
what they sent (or a request to confirm it), any letter that failed, and
weeks later whether the office replied.

Letters to offices go through the delivery channels instead, on
DELIVERY_MAILER, so a deployment can route them apart from supporter mail.
Each email is written in the language the supporter read the page in.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns import followups, translations
from campaigns.models import FollowUp, Letter, Submission, Supporter
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
    with translation.override(submission.supporter.language):
        _send_confirmation(submission)


def _send_confirmation(submission):
    supporter = submission.supporter
    campaign = translations.in_language(submission.campaign, supporter.language)
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
    subject = _("Please confirm your letters") if waiting else _("Your letters are on their way")
    EmailMessage(
        subject=one_line(f"{subject}: {campaign.title}")[:200],
        body=render_to_string(template, context),
        to=[supporter.email],
    ).send()


def tell_supporter_of_failure(letter_id):
    """Email the office's own contact page (and phone) and the letter to paste
    there; the technical reason stays with staff, on the letter. False if the
    letter is no longer failed, rejected or without a route (retried since).
    A letter no channel reaches (NO_ROUTE) gets the same email: the office
    takes no electronic letters."""
    letter = Letter.objects.select_related(
        "campaign", "supporter", "legislator", "custom_target"
    ).get(id=letter_id)
    if letter.status not in (Letter.Status.FAILED, Letter.Status.REJECTED, Letter.Status.NO_ROUTE):
        return False
    with translation.override(letter.supporter.language):
        _tell_supporter_of_failure(letter)
    return True


def _tell_supporter_of_failure(letter):
    legislator = letter.legislator
    context = {
        "letter": letter,
        "rejected": letter.status == Letter.Status.REJECTED,
        "no_route": letter.status == Letter.Status.NO_ROUTE,
        "supporter": letter.supporter,
        "campaign": translations.in_language(letter.campaign, letter.supporter.language),
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
    with translation.override(supporter.language):
        _tell_owner_of_repeat(supporter)


def _tell_owner_of_repeat(supporter):
    campaign = translations.in_language(supporter.campaign, supporter.language)
    context = {
        "supporter": supporter,
        "campaign": campaign,
        "letters": list(supporter.letters.order_by("salutation")),
        "campaign_url": f"{settings.SITE_URL}{supporter.campaign.get_absolute_url()}",
    }
    EmailMessage(
        subject=one_line(
            _("Someone tried to write again as you: %(title)s") % {"title": campaign.title}
        )[:200],
        body=render_to_string("campaigns/email/repeat_attempt.txt", context),
        to=[supporter.email],
    ).send()


def ask_whether_offices_replied(follow_up_ids):
    """One email to one supporter asking, for each office, whether it replied:
    a link per answer (campaigns/followups.py)."""
    asked = list(
        FollowUp.objects.select_related(
            "campaign", "letter__supporter", "letter__legislator", "letter__custom_target"
        )
        .filter(pk__in=follow_up_ids, answered_at__isnull=True)
        .order_by("letter__salutation")
    )
    if not asked:
        return
    supporter = asked[0].letter.supporter
    with translation.override(supporter.language):
        _ask_whether_offices_replied(asked, supporter)


def _ask_whether_offices_replied(asked, supporter):
    campaign = translations.in_language(asked[0].campaign, supporter.language)
    offices = [
        {
            "name": office_name(follow_up.letter),
            "delivered_at": follow_up.letter.delivered_at,
            "answers": [
                (
                    label,
                    settings.SITE_URL
                    + reverse("follow_up_answer", args=[followups.answer_token(follow_up, value)]),
                )
                for value, label in FollowUp.Answer.choices
            ],
        }
        for follow_up in asked
    ]
    context = {
        "supporter": supporter,
        "campaign": campaign,
        "offices": offices,
        "site_name": settings.SITE_NAME,
        "link_days": settings.FOLLOW_UP_LINK_DAYS,
    }
    subject = render_to_string("campaigns/email/follow_up_subject.txt", context)
    body = render_to_string("campaigns/email/follow_up.txt", context)
    EmailMessage(one_line(subject)[:200], body, to=[supporter.email]).send()


def office_name(letter):
    """ "Senator Padilla", "Governor Newsom": how the office is named to the supporter."""
    return letter.legislator.salutation if letter.legislator else letter.custom_target.salutation
