"""One letter as a CWC 2.0 XML message.

Names, addresses and letters are typed by strangers, so the document is built
with lxml, which escapes them; characters XML cannot carry at all (most
control characters) are removed first, since lxml refuses them.
"""

import re

from django.conf import settings
from django.utils import timezone
from lxml import etree

from campaigns.delivery.errors import DeliveryError
from campaigns.supporters.titles import cwc_prefix
from campaigns.text import one_line, xml_text
from offices import routes

CWC_VERSION = "2.0"

_PHONE_DIGITS = re.compile(r"^1?(\d{3})(\d{3})(\d{4})$")
_BILL = re.compile(r"^(hamdt|hconres|hjres|hr|hres|s|samdt|sconres|sjres|sres)(\d+)$")


def member_office(legislator):
    """The office code CWC routes by, from the office directory (the chamber's
    published list, via import_offices). Never computed from the seat: a
    computed Senate code reaches nobody, so an office without a listed code
    is refused for good."""
    code = routes.cwc_code(legislator)
    if code is None:
        raise DeliveryError(
            f"CWC does not reach the office of {legislator.bioguide_id}: the office "
            "directory has no enrolled CWC office code for it (see import_offices).",
            permanent=True,
        )
    return code


def parse_bill(citation):
    """("hr", 1234) from "H.R. 1234", "H. R.1234" or "hr1234"; None if it is not one."""
    match = _BILL.match(re.sub(r"[\s.]", "", citation.lower()))
    if not match:
        return None
    return match.group(1), int(match.group(2))


def cwc_phone(value):
    """202-555-0100 from any way of writing a US number; "" if it is not one."""
    match = _PHONE_DIGITS.match(re.sub(r"\D", "", value or ""))
    return "-".join(match.groups()) if match else ""


def delivery_agent():
    """Who we are to the House and Senate: must match our CWC API registration."""
    email = settings.CWC_DELIVERY_AGENT_EMAIL
    return {
        "DeliveryAgent": settings.CWC_DELIVERY_AGENT,
        "DeliveryAgentAckEmailAddress": email,
        "DeliveryAgentContactName": getattr(
            settings, "CWC_DELIVERY_AGENT_CONTACT", "Delivery contact"
        ),
        "DeliveryAgentContactEmail": email,
        "DeliveryAgentContactPhone": settings.CWC_DELIVERY_AGENT_PHONE,
    }


def build(letter, *, today=None):
    """The CWC document for a letter to a member of Congress, as UTF-8 bytes."""
    campaign, supporter = letter.campaign, letter.supporter
    agent = delivery_agent()
    root = etree.Element("CWC")
    _add(root, "CWCVersion", CWC_VERSION)

    delivery = etree.SubElement(root, "Delivery")
    # The letter's uuid: a retry carries the same id, so the office can
    # recognise (and refuse, with 409) a letter it already has.
    _add(delivery, "DeliveryId", letter.uuid.hex)
    _add(delivery, "DeliveryDate", (today or timezone.localdate()).strftime("%Y%m%d"))
    _add(delivery, "DeliveryAgent", one_line(agent["DeliveryAgent"]))
    _add(delivery, "DeliveryAgentAckEmailAddress", agent["DeliveryAgentAckEmailAddress"])
    contact = etree.SubElement(delivery, "DeliveryAgentContact")
    for name in (
        "DeliveryAgentContactName",
        "DeliveryAgentContactEmail",
        "DeliveryAgentContactPhone",
    ):
        _add(contact, name, one_line(agent[name]))
    # Offices group the letters of one campaign by this id.
    _add(delivery, "CampaignId", campaign.uuid.hex)
    organization = one_line(campaign.organization)
    # The schema wants 6 to 500 characters; a shorter name ("ACLU") would
    # get every letter rejected, and the element is optional.
    if len(organization) >= 6:
        _add(delivery, "Organization", organization)

    recipient = etree.SubElement(root, "Recipient")
    _add(recipient, "MemberOffice", member_office(letter.legislator))

    constituent = etree.SubElement(root, "Constituent")
    _add(constituent, "Prefix", one_line(cwc_prefix(supporter.prefix, letter.legislator.chamber)))
    _add(constituent, "FirstName", one_line(supporter.first_name))
    _add(constituent, "LastName", one_line(supporter.last_name))
    _add(constituent, "Address1", one_line(supporter.street))
    _add(constituent, "City", one_line(supporter.city))
    _add(constituent, "StateAbbreviation", one_line(supporter.state).upper())
    _add(constituent, "Zip", one_line(supporter.zip_code))
    _add(constituent, "Email", one_line(supporter.email))
    # Optional, so a number we cannot put in CWC's form is left out rather
    # than failing the letter.
    if phone := cwc_phone(supporter.phone):
        _add(constituent, "Phone", phone)

    message = etree.SubElement(root, "Message")
    _add(message, "Subject", one_line(letter.subject))
    topics = etree.SubElement(message, "LibraryOfCongressTopics")
    _add(topics, "LibraryOfCongressTopic", campaign.topic)
    if bills := [parsed for bill in campaign.bills if (parsed := parse_bill(bill))]:
        congress = settings.CURRENT_CONGRESS
        element = etree.SubElement(message, "Bills")
        for kind, number in bills:
            bill = etree.SubElement(element, "Bill")
            _add(bill, "BillCongress", str(congress))
            _add(bill, "BillTypeAbbreviation", kind)
            _add(bill, "BillNumber", str(number))
    # The organization's fixed words and the supporter's own are kept apart:
    # offices count and weigh them differently.
    if statement := xml_text(campaign.organization_statement).strip():
        _add(message, "OrganizationStatement", statement)
    _add(message, "ConstituentMessage", xml_text(letter.body).strip())

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _add(parent, tag, text):
    etree.SubElement(parent, tag).text = text
