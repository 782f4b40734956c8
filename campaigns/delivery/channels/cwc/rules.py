"""Our own check of a CWC 2.0 message, run before every send.

The rules are the House's published RELAX NG schema (structure, required
elements, lengths, patterns, the topic list) plus what is reported of the
Senate's (office codes S + state + 01-03, five prefixes). A message that
breaks one would be rejected by the office; checking first turns that into
a clear reason on the letter without spending a request.
"""

import re
from dataclasses import dataclass, field

from lxml import etree

from legislators.divisions import STATES as STATE_CODES

# The 32 Library of Congress topics the schema accepts, spelled exactly.
TOPICS = frozenset(
    {
        "Agriculture and Food",
        "Animals",
        "Armed Forces and National Security",
        "Arts, Culture, Religion",
        "Civil Rights and Liberties, Minority Issues",
        "Commerce",
        "Congress",
        "Crime and Law Enforcement",
        "Economics and Public Finance",
        "Education",
        "Emergency Management",
        "Energy",
        "Environmental Protection",
        "Families",
        "Finance and Financial Sector",
        "Foreign Trade and International Finance",
        "Government Operations and Politics",
        "Health",
        "Housing and Community Development",
        "Immigration",
        "International Affairs",
        "Labor and Employment",
        "Law",
        "Native Americans",
        "Public Lands and Natural Resources",
        "Science, Technology, Communications",
        "Social Sciences and History",
        "Social Welfare",
        "Sports and Recreation",
        "Taxation",
        "Transportation and Public Works",
        "Water Resources Development",
    }
)
# The Senate reportedly accepts only these; the House takes any text.
SENATE_PREFIXES = ("Mr.", "Mrs.", "Miss", "Ms.", "Dr.")
# The StateAbbreviation codes: the states, DC and the five territories.
STATES = frozenset(STATE_CODES)
# fmt: off
BILL_TYPES = frozenset(
    ["hamdt", "hconres", "hjres", "hr", "hres", "s", "samdt", "sconres", "sjres", "sres"]
)
# fmt: on
SECTIONS = ("CWCVersion", "Delivery", "Recipient", "Constituent", "Message")


# Each check takes the element's text and returns a complaint or None.
def length(low, high):
    def check(text):
        if not low <= len(text) <= high:
            return f"must be {low} to {high} characters long, not {len(text)}"

    return check


def matches(pattern, described, *, token=True):
    """A whole-value pattern. Tokens are compared with whitespace collapsed,
    as RELAX NG does; xsd:string values (the ZIP code) are not."""
    compiled = re.compile(pattern)

    def check(text):
        value = " ".join(text.split()) if token else text
        if not compiled.fullmatch(value):
            return f"must be {described}, not {text!r}"

    return check


def one_of(choices, described):
    def check(text):
        if " ".join(text.split()) not in choices:
            return f"must be {described}, not {text!r}"

    return check


EMAIL = matches(r"[^@]+@[^\.]+\..+", "an email address")
PHONE = matches(r"[0-9]{3}-[0-9]{3}-[0-9]{4}", "a phone number like 202-555-0100")
Y_OR_N = matches(r"[YyNn]", "Y or N")
POSITIVE = matches(r"\+?0*[1-9][0-9]*", "a positive whole number")


@dataclass(frozen=True)
class Field:
    check: object = None  # for text elements
    required: bool = False
    many: bool = False
    children: dict = field(default_factory=dict)  # for containers


STRUCTURE = {
    "Delivery": {
        "DeliveryId": Field(matches(r"[a-zA-Z0-9]{32}", "32 letters or digits"), True),
        "DeliveryDate": Field(matches(r"[0-9]{8}", "a date as YYYYMMDD"), True),
        "DeliveryAgent": Field(length(4, 500), True),
        "DeliveryAgentAckEmailAddress": Field(EMAIL, True),
        "DeliveryAgentContact": Field(
            required=True,
            children={
                "DeliveryAgentContactName": Field(length(6, 500), True),
                "DeliveryAgentContactEmail": Field(EMAIL, True),
                "DeliveryAgentContactPhone": Field(PHONE, True),
            },
        ),
        "CampaignId": Field(length(2, 500), True),
        "Organization": Field(length(6, 500)),
        "OrganizationContact": Field(
            children={
                "OrganizationContactName": Field(length(2, 500)),
                "OrganizationContactEmail": Field(EMAIL),
                "OrganizationContactPhone": Field(PHONE),
            }
        ),
        "OrganizationAbout": Field(length(6, 500)),
    },
    "Recipient": {
        "MemberOffice": Field(
            matches(
                r"H[A-Z]{2}[0-9]{2}|S[A-Z]{2}0[1-3]",
                "an office code: H + state + district (HCA12) or S + state + 01-03 (SCA03)",
            ),
            True,
        ),
        "IsResponseRequested": Field(Y_OR_N),
        "NewsletterOptIn": Field(Y_OR_N),
    },
    "Constituent": {
        "Prefix": Field(length(1, 500), True),
        "FirstName": Field(length(1, 500), True),
        "MiddleName": Field(length(1, 500)),
        "LastName": Field(length(1, 500), True),
        "Suffix": Field(length(1, 500)),
        "Title": Field(length(1, 500)),
        "ConstituentOrganization": Field(length(3, 500)),
        "Address1": Field(length(3, 500), True),
        "Address2": Field(length(3, 500)),
        "Address3": Field(length(3, 500)),
        "City": Field(length(3, 500), True),
        "StateAbbreviation": Field(one_of(STATES, "a state, DC or territory code"), True),
        "Zip": Field(matches(r"[0-9]{5}(-[0-9]{4})?", "a ZIP code", token=False), True),
        "Phone": Field(PHONE),
        "AddressValidation": Field(Y_OR_N),
        "Email": Field(EMAIL, True),
        "EmailValidation": Field(Y_OR_N),
    },
    "Message": {
        "Subject": Field(length(6, 500), True),
        "LibraryOfCongressTopics": Field(
            required=True,
            children={
                "LibraryOfCongressTopic": Field(
                    one_of(TOPICS, "one of the 32 Library of Congress topics"), True, many=True
                )
            },
        ),
        "Bills": Field(
            children={
                "Bill": Field(
                    many=True,
                    children={
                        "BillCongress": Field(POSITIVE),
                        "BillTypeAbbreviation": Field(
                            one_of(BILL_TYPES, "a bill type such as hr, s or hres")
                        ),
                        "BillNumber": Field(POSITIVE),
                    },
                )
            }
        ),
        "ProOrCon": Field(matches(r"[Pp][Rr][Oo]|[Cc][Oo][Nn]", "pro or con")),
        "MoreInfo": Field(matches(r"\S+", "a URL")),
        "OrganizationStatement": Field(length(6, 10_000)),
        "ConstituentMessage": Field(length(6, 10_000)),
    },
}


def validate(document):
    """Every rule the message (bytes) breaks, as sentences; [] when it is valid."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(document, parser)
    except etree.XMLSyntaxError as error:
        return [f"The message is not well-formed XML: {error}"]
    if root.tag != "CWC":
        return [f"The root element must be CWC, not {root.tag}."]

    errors = []
    sections = [child.tag for child in root]
    if sections != list(SECTIONS):
        errors.append(f"CWC must contain {', '.join(SECTIONS)} in that order, not {sections}.")
    version = root.find("CWCVersion")
    if version is not None and (version.text or "").strip() != "2.0":
        errors.append(f"CWCVersion must be 2.0, not {version.text!r}.")
    for name, children in STRUCTURE.items():
        section = root.find(name)
        if section is not None:
            _check_children(section, children, name, errors)

    message = root.find("Message")
    if message is not None and not (
        message.find("OrganizationStatement") is not None
        or message.find("ConstituentMessage") is not None
    ):
        errors.append("Message must contain an OrganizationStatement or a ConstituentMessage.")
    office = root.findtext("Recipient/MemberOffice", "").strip()
    prefix = root.findtext("Constituent/Prefix")
    if office.startswith("S") and prefix is not None and prefix.strip() not in SENATE_PREFIXES:
        errors.append(
            f"Constituent/Prefix must be one of {', '.join(SENATE_PREFIXES)} "
            f"for a Senate office, not {prefix!r}."
        )
    return errors


def _check_children(element, fields, path, errors):
    seen = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # a comment or processing instruction
        where = f"{path}/{child.tag}"
        spec = fields.get(child.tag)
        if spec is None:
            errors.append(f"{where} is not an element CWC knows.")
            continue
        seen[child.tag] = seen.get(child.tag, 0) + 1
        if seen[child.tag] == 2 and not spec.many:
            errors.append(f"{where} appears more than once.")
        if spec.children:
            _check_children(child, spec.children, where, errors)
        elif len(child):
            errors.append(f"{where} must hold text, not elements.")
        elif complaint := spec.check(child.text or ""):
            errors.append(f"{where} {complaint}.")
    for tag, spec in fields.items():
        if spec.required and tag not in seen:
            errors.append(f"{path}/{tag} is missing.")
