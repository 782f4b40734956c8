"""Email: for custom targets (a governor, an agency) and for members of
Congress whose office takes letters by email: the office directory's email
override, set by staff, else DELIVERY_OFFICE_EMAILS (bioguide id -> address).

The supporter is the Reply-To, so the office answers them, not us. Every
header value a stranger can type (names, the subject) is reduced to one line
before it reaches a header; the email library refuses line breaks anyway, so
a name like "Eve\\r\\nBcc: ..." can never add a header or a recipient.
Only a mailer that says it sent the message counts as a delivery; the
server's reply to it (or to a refusal) is kept with the letter.
"""

import re
import smtplib
from email.headerregistry import Address
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.template.loader import render_to_string

from campaigns.delivery import pauses
from campaigns.delivery.errors import DeliveryError
from campaigns.delivery.registry import Accepted
from campaigns.text import one_line
from offices import routes

# Characters that only mean something inside a quoted display name. Python's
# email library can drop the quotes when it folds a long header (CPython
# gh-80222), and "Eve To: x@example.net" would then name another address;
# without them a display name is only words, whatever happens to the quotes.
ADDRESS_SYNTAX = re.compile(r'[",:;<>@()\[\]\\]')


def display_name(text):
    return " ".join(ADDRESS_SYNTAX.sub(" ", one_line(text)).split())


def recipient(letter):
    """(name, address) of the office, or None when it has no email address."""
    if letter.custom_target_id is not None:
        return letter.custom_target.name, letter.custom_target.email
    if address := routes.email_address(letter.legislator):
        return letter.legislator.display_name, address
    return None


def accepts(letter):
    return recipient(letter) is not None


def message_id(letter):
    # From the letter's uuid, so a retry is recognisably the same message.
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{letter.uuid.hex}@{domain}>"


def build(letter):
    """The letter as an EmailMessage; ValueError if an address is unusable."""
    name, address = recipient(letter)
    supporter = letter.supporter
    body = render_to_string(
        "campaigns/email/letter.txt",
        {"letter": letter, "supporter": supporter, "campaign": letter.campaign},
    )
    return EmailMessage(
        subject=one_line(letter.subject),
        body=body,
        to=[str(Address(display_name(name), addr_spec=address))],
        reply_to=[str(Address(display_name(supporter.full_name), addr_spec=supporter.email))],
        headers={"Message-ID": message_id(letter)},
    )


def eml(letter):
    """The letter as the bytes of an .eml file."""
    try:
        return build(letter).message().as_bytes()
    except ValueError as error:
        raise DeliveryError(f"The email could not be addressed: {error}", permanent=True) from None


def send(letter):
    pauses.check("smtp")
    try:
        email = build(letter)
        reply = _send(email)
    except ValueError as error:
        raise DeliveryError(f"The email could not be addressed: {error}", permanent=True) from None
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        answers = "; ".join(f"{code} {_text(reply)}" for code, reply in error.recipients.values())
        raise DeliveryError(
            f"The mail server refused the recipient: {answers}",
            permanent=all(code >= 500 for code in codes),
            answer=answers,
        ) from None
    except smtplib.SMTPResponseException as error:
        answer = f"{error.smtp_code} {_text(error.smtp_error)}"
        raise DeliveryError(
            f"The mail server answered {answer}",
            permanent=error.smtp_code >= 500,
            answer=answer,
        ) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"Could not reach the mail server: {error}") from None
    return Accepted(email.extra_headers["Message-ID"], reply)


def _send(email):
    """Send through DELIVERY_MAILER; the server's reply to the message (or
    what the mailer said, for one that is not SMTP)."""
    mailer = mailers[settings.DELIVERY_MAILER]
    replies = []
    with mailer:
        server = getattr(mailer, "connection", None)
        if isinstance(server, smtplib.SMTP):
            # smtplib's sendmail drops the server's answer to the message;
            # data() is where it comes back, so keep it as it passes.
            send_data = server.data
            server.data = lambda message: _kept(replies, send_data(message))
        sent = mailer.send_messages([email])
    if sent != 1:
        # A mailer set to fail silently reports a failure only this way.
        raise DeliveryError(f"The mail server did not take the email ({sent} sent).")
    if replies:
        code, text = replies[-1]
        return f"{code} {_text(text)}"
    return f"Taken by the {settings.DELIVERY_MAILER!r} mailer ({type(mailer).__name__})."


def _kept(replies, reply):
    replies.append(reply)
    return reply


def _text(reply):
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
