"""Our check of a CWC 2.0 message, run before every send.

The structure, lengths, patterns and topics are the RELAX NG schema's, read
in place from CWC_SCHEMA_PATH and applied by lxml: the schema is not ours to
redistribute, and restating it by hand would be a second copy to drift. It is
the House's schema, so it routes to House office codes only; what is
reported of the Senate's (office codes S + state + 01-03, five prefixes) is
checked here, and a Senate message meets the schema with a House stand-in
for its office code. A message that breaks a rule would be rejected by the
office; checking first turns that into a clear reason on the letter without
spending a request.
"""

import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from lxml import etree

SENATE_PREFIXES = ("Mr.", "Mrs.", "Miss", "Ms.", "Dr.")
SENATE_OFFICE = re.compile(r"S[A-Z]{2}0[1-3]")
HOUSE_STAND_IN = "HDC00"
MAX_PROBLEMS = 10


def available():
    return Path(settings.CWC_SCHEMA_PATH).is_file()


def validate(document):
    """Every rule the message (bytes) breaks, as sentences; [] when it is valid."""
    try:
        root = etree.fromstring(document, _parser())
    except etree.XMLSyntaxError as error:
        return [f"The message is not well-formed XML: {error}"]
    problems = _senate_problems(root)
    schema = _schema(str(settings.CWC_SCHEMA_PATH))
    if not schema.validate(root):
        problems += _sentences(schema.error_log)
    return problems


def _senate_problems(root):
    """The Senate's own rules; leaves a House stand-in code for the schema."""
    office = root.find("Recipient/MemberOffice")
    code = (office.text or "").strip() if office is not None else ""
    if not code.startswith("S"):
        return []
    problems = []
    if not SENATE_OFFICE.fullmatch(code):
        problems.append(
            f"Recipient/MemberOffice must be S + state + 01-03 for a Senate office, not {code!r}."
        )
    prefix = (root.findtext("Constituent/Prefix") or "").strip()
    if prefix not in SENATE_PREFIXES:
        problems.append(
            f"Constituent/Prefix must be one of {', '.join(SENATE_PREFIXES)} "
            f"for a Senate office, not {prefix!r}."
        )
    office.text = HOUSE_STAND_IN
    return problems


def _sentences(error_log):
    """One sentence per element the schema complains of (libxml2 often says
    two things about one element), named by its path below CWC."""
    by_place = {}
    for entry in error_log:
        where = (entry.path or "/CWC").removeprefix("/CWC/").removeprefix("/") or "CWC"
        by_place.setdefault(where, entry.message.rstrip("."))
    return [f"{where}: {message}." for where, message in list(by_place.items())[:MAX_PROBLEMS]]


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True)


@cache
def _schema(path):
    if not Path(path).is_file():
        raise ImproperlyConfigured(
            f"CWC_SCHEMA_PATH names {path}, which does not exist: CWC messages cannot be "
            "checked before they are sent."
        )
    return etree.RelaxNG(etree.parse(path, _parser()))
