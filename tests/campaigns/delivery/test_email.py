"""The email channel against a real SMTP server (aiosmtpd on 127.0.0.1)."""

import pytest

from campaigns.delivery.channels import email
from campaigns.delivery.errors import DeliveryError
from tests import factories
from tests.support.processes import free_port

pytestmark = pytest.mark.django_db


def to_governor(**supporter_fields):
    campaign = factories.campaign()
    governor = factories.custom_target(
        campaign,
        name="Governor Example",
        salutation="Governor Example",
        email="governor@example.gov",
    )
    ada = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "street": "1 Main St",
        "city": "San Francisco",
        "state": "CA",
        "zip_code": "94110",
    }
    return factories.letter(
        campaign,
        governor,
        supporter=factories.supporter(campaign, **ada | supporter_fields),
        subject="Please fund our libraries",
        body="Dear Governor Example,\n\nPlease fund our libraries.\n\nAda",
    )


def test_the_letter_arrives_with_the_supporter_as_reply_to(mailbox):
    letter = to_governor(email="ada@example.com")
    accepted = email.send(letter)
    provider_id = accepted.provider_id
    assert accepted.answer == "250 Message accepted for delivery"  # the server's own reply

    [(recipients, message)] = mailbox.messages
    assert recipients == ["governor@example.gov"]
    assert message["To"] == "Governor Example <governor@example.gov>"
    assert message["Reply-To"] == "Ada Lovelace <ada@example.com>"
    assert message["Subject"] == "Please fund our libraries"
    assert message["Message-ID"] == provider_id == f"<{letter.uuid.hex}@localhost>"
    text = message.get_content()
    assert text.startswith("Dear Governor Example,\n\nPlease fund our libraries.")
    assert "1 Main St\nSan Francisco, CA 94110" in text
    assert "Friends of the Library represents 40,000 readers." in text


def test_names_cannot_inject_headers_or_recipients(mailbox):
    letter = to_governor(
        first_name="Eve\r\nBcc: victim@example.com",
        last_name="Mallory\nX-Injected: yes",
    )
    letter.subject = "Hello\r\nBcc: other@example.com"
    email.send(letter)

    [(recipients, message)] = mailbox.messages
    assert recipients == ["governor@example.gov"]
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert message["Subject"] == "Hello Bcc: other@example.com"
    # One line, and without the characters that make up an address.
    assert message["Reply-To"].addresses[0].display_name == (
        "Eve Bcc victim example.com Mallory X-Injected yes"
    )


def test_an_address_with_a_line_break_fails_for_good(mailbox):
    letter = to_governor()
    letter.supporter.email = "ada@example.com\r\nBcc: victim@example.com"
    with pytest.raises(DeliveryError) as caught:
        email.send(letter)
    assert caught.value.permanent
    assert mailbox.messages == []


def test_a_5xx_refusal_is_permanent(mailbox):
    mailbox.refuse = "550 5.1.1 No such user"
    with pytest.raises(DeliveryError) as caught:
        email.send(to_governor())
    assert caught.value.permanent
    assert "550" in caught.value.message and "No such user" in caught.value.message


def test_a_4xx_refusal_is_passing(mailbox):
    mailbox.refuse = "451 4.3.0 Try again later"
    with pytest.raises(DeliveryError) as caught:
        email.send(to_governor())
    assert not caught.value.permanent
    assert "451" in caught.value.message


def test_no_mail_server_is_passing(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    with pytest.raises(DeliveryError) as caught:
        email.send(to_governor())
    assert not caught.value.permanent
    assert caught.value.message.startswith("Could not reach the mail server")


def test_a_mailer_that_sent_nothing_is_not_a_delivery(settings):
    """A mailer set to fail silently answers "0 sent" instead of raising."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": "127.0.0.1",
                "port": free_port(),
                "timeout": 2,
                "fail_silently": True,
            },
        }
    }
    with pytest.raises(DeliveryError) as caught:
        email.send(to_governor())
    assert not caught.value.permanent
    assert caught.value.message == "The mail server did not take the email (0 sent)."


def test_members_of_congress_need_a_configured_address(settings, mailbox):
    member = factories.legislator(
        district=12, bioguide_id="P000197", official_full_name="Nancy Pelosi"
    )
    letter = factories.letter(to=member)
    assert not email.accepts(letter)

    settings.DELIVERY_OFFICE_EMAILS = {"P000197": "letters@pelosi.example"}
    assert email.accepts(letter)
    email.send(letter)
    [(_, message)] = mailbox.messages
    assert message["To"] == "Nancy Pelosi <letters@pelosi.example>"
