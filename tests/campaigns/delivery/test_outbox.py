from email import message_from_bytes, policy

import pytest
from lxml import etree

from campaigns.delivery.channels import outbox
from campaigns.delivery.errors import DeliveryError
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_letter_to_congress_is_written_as_its_cwc_xml(outbox_dir):
    letter = factories.letter()
    name = outbox_send(letter)

    assert name == f"{letter.uuid.hex}.xml"
    root = etree.parse(outbox_dir / name).getroot()
    assert root.findtext("Delivery/DeliveryId") == letter.uuid.hex
    assert root.findtext("Recipient/MemberOffice") == "HCA12"


def test_a_letter_to_a_custom_target_is_written_as_an_email(outbox_dir):
    first = factories.letter()
    letter = factories.letter(to=factories.custom_target(first.campaign), campaign=first.campaign)
    name = outbox_send(letter)

    assert name == f"{letter.uuid.hex}.eml"
    email = message_from_bytes((outbox_dir / name).read_bytes(), policy=policy.default)
    assert email["To"] == "Office of the Governor <governor@example.org>"
    assert letter.body in email.get_content()


def test_a_retry_replaces_the_file_and_leaves_nothing_else(outbox_dir):
    letter = factories.letter()
    outbox_send(letter)
    letter.body = "Second attempt, same letter."
    outbox_send(letter)

    assert [path.name for path in outbox_dir.iterdir()] == [f"{letter.uuid.hex}.xml"]
    assert b"Second attempt" in (outbox_dir / f"{letter.uuid.hex}.xml").read_bytes()


@pytest.mark.usefixtures("cwc_schema")
def test_a_letter_cwc_would_reject_is_not_written(outbox_dir):
    letter = factories.letter()
    letter.subject = "Hi"
    with pytest.raises(DeliveryError) as caught:
        outbox_send(letter)
    assert caught.value.permanent
    assert "Message/Subject: Error validating datatype" in caught.value.message
    assert not outbox_dir.exists() or not any(outbox_dir.iterdir())


def test_an_unwritable_outbox_is_a_passing_failure(settings, tmp_path):
    settings.OUTBOX_DIR = tmp_path / "file"
    settings.OUTBOX_DIR.write_text("not a folder")
    with pytest.raises(DeliveryError) as caught:
        outbox_send(factories.letter())
    assert not caught.value.permanent


def outbox_send(letter):
    assert outbox.accepts(letter)
    return outbox.send(letter).provider_id
