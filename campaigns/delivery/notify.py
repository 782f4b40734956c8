"""Telling a supporter that a letter could not be delivered.

They get the office's own contact page (and phone), and their letter to
paste there; the technical reason stays with staff, on the letter.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from campaigns.delivery.cwc.message import one_line
from campaigns.models import Letter


def tell_supporter(letter_id):
    """Email the supporter; False if the letter is no longer failed (retried since)."""
    letter = Letter.objects.select_related(
        "campaign", "supporter", "legislator", "custom_target"
    ).get(id=letter_id)
    if letter.status != Letter.Status.FAILED:
        return False
    legislator = letter.legislator
    context = {
        "letter": letter,
        "supporter": letter.supporter,
        "campaign": letter.campaign,
        "recipient_name": legislator.display_name if legislator else letter.custom_target.name,
        "contact_url": legislator.contact_url if legislator else "",
        "phone": legislator.phone if legislator else "",
        "email": "" if legislator else letter.custom_target.email,
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("campaigns/email/letter_failed_subject.txt", context)
    body = render_to_string("campaigns/email/letter_failed.txt", context)
    EmailMessage(one_line(subject), body, to=[letter.supporter.email]).send(
        using=settings.DELIVERY_MAILER
    )
    return True
