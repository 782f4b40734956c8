"""The CWC XML we build, and our check of it: CWC's RELAX NG schema plus the Senate's rules."""

import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from campaigns import text
from campaigns.delivery.channels.cwc import message, schema
from campaigns.delivery.errors import DeliveryError


def make_letter(*, chamber="house", **supporter):
    """The attributes build() reads, without a database."""
    code = "SCA03" if chamber == "senate" else "HCA12"
    office = SimpleNamespace(cwc_code=code, enrolled=True, no_route=False)
    legislator = SimpleNamespace(
        bioguide_id="P000197",
        chamber=chamber,
        state="CA",
        district=12,
        senate_class=3,
        office=office,
    )
    campaign = SimpleNamespace(
        uuid=uuid.UUID(int=7),
        organization="Friends of the Library",
        organization_statement="We represent 40,000 readers.",
        topic="Education",
        bills=["H.R. 1234", "S. 567", "H.Res. 12"],
    )
    person = SimpleNamespace(
        prefix="Ms.",
        first_name="Ada",
        last_name="Lovelace",
        street="1 Main St",
        city="San Francisco",
        state="CA",
        zip_code="94110",
        email="ada@example.com",
        phone="(415) 555-0100",
    )
    vars(person).update(supporter)
    return SimpleNamespace(
        uuid=uuid.UUID(int=42),
        campaign=campaign,
        supporter=person,
        legislator=legislator,
        subject="Please fund our libraries",
        body="Dear Representative Pelosi,\r\n\r\nPlease fund our libraries.",
    )


pytestmark = pytest.mark.usefixtures("cwc_schema")


def test_a_letter_becomes_every_documented_field():
    xml = message.build(make_letter(), today=date(2026, 11, 25))
    root = etree.fromstring(xml)

    assert root.findtext("Delivery/DeliveryId") == uuid.UUID(int=42).hex
    assert len(root.findtext("Delivery/DeliveryId")) == 32
    assert root.findtext("Delivery/DeliveryDate") == "20261125"
    assert root.findtext("Delivery/CampaignId") == uuid.UUID(int=7).hex
    assert root.findtext("Delivery/Organization") == "Friends of the Library"
    assert root.findtext("Recipient/MemberOffice") == "HCA12"
    assert root.findtext("Constituent/Phone") == "415-555-0100"
    assert root.findtext("Message/LibraryOfCongressTopics/LibraryOfCongressTopic") == "Education"
    bills = [
        (b.findtext("BillCongress"), b.findtext("BillTypeAbbreviation"), b.findtext("BillNumber"))
        for b in root.iterfind("Message/Bills/Bill")
    ]
    assert bills == [("119", "hr", "1234"), ("119", "s", "567"), ("119", "hres", "12")]
    # The organization's words and the supporter's stay apart.
    assert root.findtext("Message/OrganizationStatement") == "We represent 40,000 readers."
    assert root.findtext("Message/ConstituentMessage") == (
        "Dear Representative Pelosi,\n\nPlease fund our libraries."
    )
    assert schema.validate(xml) == []


def test_congress_comes_from_the_setting(settings):
    settings.CURRENT_CONGRESS = 120
    root = etree.fromstring(message.build(make_letter()))
    assert {b.text for b in root.iterfind("Message/Bills/Bill/BillCongress")} == {"120"}


def test_the_member_office_is_the_directory_code_not_one_derived_from_the_seat():
    letter = make_letter(chamber="senate")
    # California's class III seat, listed under a code no formula would give.
    letter.legislator.office.cwc_code = "SCA01"
    root = etree.fromstring(message.build(letter))
    assert root.findtext("Recipient/MemberOffice") == "SCA01"


@pytest.mark.parametrize(
    "office",
    [
        SimpleNamespace(cwc_code="HCA12", enrolled=False, no_route=False),
        SimpleNamespace(cwc_code="", enrolled=True, no_route=False),
        SimpleNamespace(cwc_code="HCA12", enrolled=True, no_route=True),
    ],
)
def test_an_office_without_an_enrolled_code_is_refused_for_good(office):
    letter = make_letter()
    letter.legislator.office = office
    with pytest.raises(DeliveryError) as refused:
        message.build(letter)
    assert refused.value.permanent
    assert "no enrolled CWC office code" in refused.value.message


@pytest.mark.parametrize(
    ("citation", "parsed"),
    [
        ("H.R. 1234", ("hr", 1234)),
        ("S. 567", ("s", 567)),
        ("H.Res. 12", ("hres", 12)),
        ("H. J. Res. 5", ("hjres", 5)),
        ("S.Con.Res. 3", ("sconres", 3)),
        ("hr1234", ("hr", 1234)),
        ("S.B. 123", None),
        ("Senate Bill 1", None),
    ],
)
def test_parse_bill(citation, parsed):
    assert message.parse_bill(citation) == parsed


def test_untrusted_text_is_escaped_and_stripped_of_characters_xml_cannot_carry():
    letter = make_letter(
        first_name="Ada</FirstName><Admin>yes</Admin>",
        last_name="Love\x00lace\x1b",
        city="San\nFrancisco",
    )
    letter.body = "Bobby <b>&</b> Tables\x07 says hi."
    root = etree.fromstring(message.build(letter))

    assert root.findtext("Constituent/FirstName") == "Ada</FirstName><Admin>yes</Admin>"
    assert root.find(".//Admin") is None
    assert root.findtext("Constituent/LastName") == "Lovelace"
    assert root.findtext("Constituent/City") == "San Francisco"
    assert root.findtext("Message/ConstituentMessage") == "Bobby <b>&</b> Tables says hi."


def test_a_short_organization_name_is_left_out_rather_than_failing_the_letter():
    letter = make_letter()
    letter.campaign.organization = "ACLU"
    xml = message.build(letter)
    assert etree.fromstring(xml).find("Delivery/Organization") is None
    assert schema.validate(xml) == []


def test_a_phone_number_cwc_cannot_take_is_left_out():
    root = etree.fromstring(message.build(make_letter(phone="+44 20 7946 0958")))
    assert root.find("Constituent/Phone") is None


@given(
    name=st.text(max_size=60),
    body=st.text(min_size=1, max_size=300),
)
def test_any_text_makes_well_formed_xml(name, body):
    letter = make_letter(first_name=name)
    letter.body = body
    root = etree.fromstring(message.build(letter))  # never raises
    assert root.findtext("Constituent/FirstName") == text.one_line(name)
    assert root.findtext("Message/ConstituentMessage") == text.xml_text(body).strip()


# Each mutation breaks one documented rule; the check must say where.
BROKEN = [
    ("Recipient/MemberOffice", "SVA04", "Recipient/MemberOffice must be S + state"),
    ("Recipient/MemberOffice", "HCA1", "Recipient/MemberOffice"),
    ("Delivery/DeliveryId", "abc", "Delivery/DeliveryId"),
    ("Constituent/Zip", "9411", "Constituent/Zip"),
    ("Constituent/Zip", " 94110", "Constituent/Zip"),
    ("Constituent/Email", "ada.example.com", "Constituent/Email"),
    ("Constituent/StateAbbreviation", "XX", "Constituent/StateAbbreviation"),
    ("Constituent/City", "SF", "Constituent/City"),
    ("Constituent/Phone", "4155550100", "Constituent/Phone"),
    ("Message/Subject", "Hi", "Message/Subject"),
    (
        "Message/LibraryOfCongressTopics/LibraryOfCongressTopic",
        "Private Legislation",
        "LibraryOfCongressTopic",
    ),
    ("Message/Bills/Bill/BillTypeAbbreviation", "H.R.", "Message/Bills"),
    ("Message/ConstituentMessage", "x" * 10_001, "Message/ConstituentMessage"),
    ("Delivery/DeliveryAgentContact/DeliveryAgentContactPhone", "555", "DeliveryAgentContactPhone"),
]


@pytest.mark.parametrize(("path", "value", "named"), BROKEN)
def test_each_broken_rule_is_named_where_it_is_broken(path, value, named):
    root = etree.fromstring(message.build(make_letter()))
    root.find(path).text = value
    assert named in " ".join(schema.validate(etree.tostring(root)))


def remove(*paths):
    def change(root):
        for path in paths:
            element = root.find(path)
            element.getparent().remove(element)

    return change


def append(path, tag):
    return lambda root: root.find(path).append(etree.Element(tag))


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (remove("Constituent/Email"), "Expecting an element Email"),
        (
            remove("Message/ConstituentMessage", "Message/OrganizationStatement"),
            "Expecting an element OrganizationStatement",
        ),
        (append("Constituent", "Organization"), "extra content: Organization"),
        (append("Recipient", "MemberOffice"), "Recipient/MemberOffice[2]"),
        (lambda root: root.insert(0, root.find("Message")), "Did not expect element Message"),
    ],
)
def test_structure_mistakes(change, named):
    root = etree.fromstring(message.build(make_letter()))
    change(root)
    assert named in " ".join(schema.validate(etree.tostring(root)))


def test_a_senate_office_takes_only_the_five_prefixes():
    senate = make_letter(chamber="senate", prefix="Reverend")
    assert "Prefix must be one of Mr., Mrs., Miss, Ms., Dr." in " ".join(
        schema.validate(message.build(senate))
    )
    house = make_letter(prefix="Reverend")
    assert schema.validate(message.build(house)) == []


def test_a_senate_message_passes_our_validator():
    xml = message.build(make_letter(chamber="senate"))
    assert etree.fromstring(xml).findtext("Recipient/MemberOffice") == "SCA03"
    assert schema.validate(xml) == []


def test_not_xml_at_all():
    (problem,) = schema.validate(b"<CWC><oops")
    assert problem.startswith("The message is not well-formed XML")


def test_without_the_schema_nothing_is_sent_unchecked(settings, tmp_path):
    settings.CWC_SCHEMA_PATH = tmp_path / "absent.rng"
    with pytest.raises(ImproperlyConfigured, match=r"absent\.rng, which does not exist"):
        schema.validate(message.build(make_letter()))
