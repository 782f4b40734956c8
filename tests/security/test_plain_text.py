"""Whatever a stranger types stays plain text: escaped in HTML, one line in
an email header, well-formed in CWC's XML, and never a merge field."""

from email import message_from_bytes
from email.policy import default as email_policy

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.forms import model_to_dict
from django.test import Client
from lxml import etree

from campaigns import emails, text
from campaigns.delivery.channels import email
from campaigns.delivery.channels.cwc import message as cwc
from campaigns.emails import send_confirmation
from campaigns.forms import CampaignForm
from campaigns.models import Campaign, Letter, Submission, Supporter
from tests import factories
from tests.campaigns.conftest import ADDRESS, BROWSER, letter_form, look_up

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "Eve\r\nBcc: victim@example.org",
    "Eve\nTo: victim@example.org\n\nBody",
    "Eve\rCc: victim@example.org",
    "]]><!-- <x>&amp;</x> -->",
    "Eve\x07\x08\x1b[31m\x7f\x85\u2028\ufeff",  # NUL: refused by every form field
    "{first_name}{__class__}{legislator_name}{0}{supporter.email!r}",
    "=cmd|' /C calc'!A0",
    "Zoë Ñandú 🙂 ﷽",
]
HOSTILE_IDS = ["script", "attribute", "crlf-bcc", "lf-to", "cr-cc", "cdata", "control", "braces",
               "formula", "unicode"]  # fmt: skip
SCRIPT = "<script>alert(1)</script>"


def hostile_letter(value, *, to="custom"):
    campaign = factories.campaign(
        title=f"Shelter {value}"[:120],
        organization=f"Alliance {value}",
        organization_statement=f"We stand for {value}.",
    )
    recipient = (
        factories.custom_target(campaign, name=f"Office {value}")
        if to == "custom"
        else factories.legislator("VT", senate_class=1)
    )
    letter = factories.letter(
        campaign,
        recipient,
        subject=f"Please act {value}",
        body=f"Dear Senator,\n\n{value}\n\nThank you.",
    )
    Supporter.objects.filter(pk=letter.supporter_id).update(
        first_name=value, last_name=f"{value} Jr", street=f"12 {value} St", city=value
    )
    return Letter.objects.select_related(
        "campaign", "supporter", "custom_target", "legislator"
    ).get(pk=letter.pk)


class TestHTML:
    def test_the_letter_form_keeps_hostile_text_inside_the_textarea(
        self, visitor, campaign, vermont, offline_lookup
    ):
        look_up(visitor, campaign, first_name=SCRIPT, last_name='"><img src=x onerror=alert(1)>')
        step_two = visitor.get(campaign.get_absolute_url()).content.decode()
        assert SCRIPT not in step_two and "<img src=x" not in step_two
        form = letter_form(visitor, campaign) | {
            "subject": "Hi",  # too short: the form comes back with the body as typed
            "body": f"</textarea>{SCRIPT} " * 5,
        }
        again = visitor.post(f"/c/{campaign.slug}/send/", form)
        assert again.status_code == 400
        page = again.content.decode()
        assert "</textarea><script>" not in page
        assert "&lt;/textarea&gt;&lt;script&gt;" in page

    def test_organizer_and_staff_pages_escape_titles_and_sources(self, campaign):
        campaign.title = SCRIPT
        campaign.save()
        Client(headers={"User-Agent": BROWSER}).get(
            campaign.get_absolute_url(), {"source": SCRIPT, "utm_source": SCRIPT}
        )
        staff = Client()
        staff.force_login(User.objects.create_superuser("root"))
        for url in ("/organize/", f"/organize/{campaign.slug}/"):
            assert SCRIPT not in staff.get(url).content.decode(), url

    def test_staff_statistics_escape_titles_and_sources(self, campaign):
        campaign.title = SCRIPT
        campaign.save()
        Client(headers={"User-Agent": BROWSER}).get(campaign.get_absolute_url(), {"source": SCRIPT})
        staff = Client()
        staff.force_login(User.objects.create_superuser("root"))
        for url in ("/staff/", f"/staff/{campaign.slug}/"):
            page = staff.get(url).content.decode()
            assert SCRIPT not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the source is listed, as text

    def test_the_admin_escapes_supporters(self, client):
        letter = hostile_letter(SCRIPT)
        client.force_login(User.objects.create_superuser("root"))
        supporter = letter.supporter_id
        for url in (
            "/admin/campaigns/supporter/",
            f"/admin/campaigns/supporter/{supporter}/change/",
            "/admin/campaigns/letter/",
            f"/admin/campaigns/letter/{letter.pk}/change/",
        ):
            assert SCRIPT not in client.get(url).content.decode(), url
        confirm = client.post(
            "/admin/campaigns/supporter/",
            {"action": "delete_data", "_selected_action": [supporter]},
        ).content.decode()
        assert "Delete supporters" in confirm
        assert SCRIPT not in confirm


def parsed(message):
    return message_from_bytes(message.message().as_bytes(), policy=email_policy)


def assert_only_headers(headers, expected):
    names = {name.lower() for name in headers}
    assert names <= expected, names - expected
    assert not names & {"bcc", "cc"}


MESSAGE_HEADERS = {
    "subject", "from", "to", "reply-to", "date", "message-id",
    "mime-version", "content-type", "content-transfer-encoding",
}  # fmt: skip


class TestEmailHeaders:
    @pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
    def test_the_delivery_email_has_its_headers_and_no_more(self, value):
        letter = hostile_letter(value)
        headers = parsed(email.build(letter))
        assert_only_headers(headers, MESSAGE_HEADERS)
        [office] = headers["To"].addresses
        assert office.addr_spec == "governor@example.org"
        assert office.display_name == email.display_name(f"Office {value}")
        [reply_to] = headers["Reply-To"].addresses
        assert reply_to.addr_spec == letter.supporter.email
        # A long word may be folded onto the next line, which is no change.
        assert " ".join(headers["Subject"].split()) == text.one_line(f"Please act {value}")
        for name in ("To", "Reply-To", "Subject"):
            assert "\n" not in str(headers[name]) and "\r" not in str(headers[name])
        # The whole message stays readable: the letter is the body.
        assert headers.get_content().startswith("Dear Senator,")

    @pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
    def test_the_confirmation_email_has_its_headers_and_no_more(self, value):
        # The supporter's name is hostile; the title is the organizer's (below).
        letter = hostile_letter(value)
        Campaign.objects.filter(pk=letter.campaign_id).update(
            title="Shelter", require_confirmation=True
        )
        Letter.objects.update(status=Letter.Status.UNCONFIRMED)
        send_confirmation(letter.submission_id)
        headers = parsed(mail.outbox[-1])
        assert_only_headers(headers, MESSAGE_HEADERS)
        [to] = headers["To"].addresses
        assert to.addr_spec == letter.supporter.email
        assert headers["Subject"].startswith("Please confirm your letters: Shelter")

    @pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
    def test_the_failure_email_has_its_headers_and_no_more(self, value):
        letter = hostile_letter(value)
        Letter.objects.update(status=Letter.Status.FAILED)
        assert emails.tell_supporter_of_failure(letter.pk)
        headers = parsed(mail.outbox[-1])
        assert_only_headers(headers, MESSAGE_HEADERS)
        assert [to.addr_spec for to in headers["To"].addresses] == [letter.supporter.email]
        assert "\n" not in headers["Subject"]

    def test_a_long_name_cannot_move_the_reply_to(self):
        # CPython gh-80222: folding a long quoted display name can drop its quotes.
        letter = hostile_letter("Eve")
        # 100 characters each, as the form allows.
        Supporter.objects.filter(pk=letter.supporter_id).update(
            first_name="Eve To: someone@example.net".ljust(100, "e"), last_name="Forger"
        )
        letter.supporter.refresh_from_db()
        [reply_to] = parsed(email.build(letter))["Reply-To"].addresses
        assert reply_to.addr_spec == letter.supporter.email

    def test_a_title_with_a_line_break_still_gets_confirmations_out(self):
        campaign = factories.campaign(require_confirmation=True)
        post = factories.submission(campaign)
        factories.letter(campaign, submission=post, status=Letter.Status.UNCONFIRMED)
        # The organizer's form keeps a line break inside the title.
        data = model_to_dict(campaign, fields=CampaignForm.Meta.fields)
        form = CampaignForm(data | {"title": "Shelter\r\nBcc: v@example.org"}, instance=campaign)
        form.save()
        send_confirmation(post.pk)
        assert mail.outbox[-1].subject == "Please confirm your letters: Shelter Bcc: v@example.org"


class TestCWC:
    @pytest.mark.parametrize("value", HOSTILE, ids=HOSTILE_IDS)
    def test_the_xml_is_well_formed_and_gives_back_the_text(self, value):
        letter = hostile_letter(value, to="senator")
        document = cwc.build(letter)
        root = etree.fromstring(document, etree.XMLParser(resolve_entities=False))
        benign = etree.fromstring(cwc.build(hostile_letter("Maya", to="senator")))
        # The same elements as an ordinary letter: nothing was injected.
        assert [e.tag for e in root.iter()] == [e.tag for e in benign.iter()]
        constituent = root.find("Constituent")
        assert constituent.findtext("FirstName") == text.one_line(value)
        assert constituent.findtext("LastName") == text.one_line(f"{value} Jr")
        assert constituent.findtext("Address1") == text.one_line(f"12 {value} St")
        message = root.find("Message")
        assert message.findtext("Subject") == text.one_line(f"Please act {value}")
        assert message.findtext("ConstituentMessage") == text.xml_text(
            f"Dear Senator,\n\n{value}\n\nThank you."
        )
        assert message.findtext("OrganizationStatement") == text.xml_text(f"We stand for {value}.")
        if value.startswith("]]>"):
            assert "]]>" in message.findtext("ConstituentMessage")


def test_braces_a_supporter_types_are_never_filled_in(visitor, campaign, vermont, offline_lookup):
    look_up(visitor, campaign)
    typed = "I ask about {__class__} and {first_name} and {0} and {email!r}, " * 3
    form = letter_form(visitor, campaign)
    form["body"] = typed
    assert visitor.post(f"/c/{campaign.slug}/send/", form).status_code == 302
    for letter in Letter.objects.all():
        assert letter.body.endswith(typed.strip())
    assert Submission.objects.get().body.endswith(typed.strip())
    assert ADDRESS["email"].lower() not in Letter.objects.first().body
