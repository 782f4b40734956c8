"""Read the chambers' published CWC office lists into sets of office codes.

No database here. A list is a file path or an http(s) URL, in one of these
shapes (the same for both chambers):

- JSON, a list of codes: ``["HCA12", "HAK00"]``;
- JSON, a list of objects with an ``office_code`` (what the Senate's SOAPBox
  ``active_offices`` answers): ``[{"office_code": "SCA01", ...}]``;
- JSON, an object holding either list under ``offices`` or ``active_offices``;
- plain text, one code per line; blank lines and ``#`` comments are skipped.

House codes are H + state + two-digit district (HCA12, HAK00 at large);
Senate codes S + state + 01-03 (SCA01). A code of the other chamber, a
malformed one or an empty list refuses the whole file: importing it would
take every office off CWC.
"""

import json
import re
from pathlib import Path

from campaigns.delivery.channels.cwc import without_api_key
from legislators.importers import SourceError, fetch, is_url
from legislators.models import Chamber

CODE = {
    Chamber.HOUSE: re.compile(r"^H[A-Z]{2}\d{2}$"),
    Chamber.SENATE: re.compile(r"^S[A-Z]{2}0[1-3]$"),
}
LIST_KEYS = ("offices", "active_offices")


def read_codes(source, chamber):
    """The set of office codes one chamber's list names; SourceError if unusable."""
    name = without_api_key(str(source))
    try:
        raw = fetch(str(source)) if is_url(source) else _read_file(Path(source))
    except SourceError as error:
        # fetch names the URL, and a CWC list URL carries our API key.
        raise SourceError(
            str(error).replace(str(source), name), permanent=error.permanent
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"{name}: not UTF-8 text ({error}).") from None
    items = _items(text, name)
    codes = set()
    for index, item in enumerate(items, start=1):
        code = _code(item, f"{name}, item {index}")
        if not CODE[chamber].match(code):
            label = Chamber(chamber).label
            raise SourceError(f"{name}, item {index}: {code!r} is not a {label} office code.")
        codes.add(code)
    if not codes:
        raise SourceError(f"{name}: no office codes in it.")
    return codes


def _read_file(path):
    if not path.is_file():
        raise SourceError(f"{path}: no such file.")
    try:
        return path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path}: {error.strerror}.") from None


def _items(text, name):
    stripped = text.lstrip()
    if not stripped.startswith(("[", "{")):
        lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
        return [line for line in lines if line]
    try:
        data = json.loads(text)
    except ValueError as error:
        raise SourceError(f"{name}: not valid JSON: {error}") from None
    if isinstance(data, dict):
        found = [data[key] for key in LIST_KEYS if key in data]
        if not found:
            raise SourceError(f"{name}: a JSON object needs an 'offices' list.")
        data = found[0]
    if not isinstance(data, list):
        raise SourceError(f"{name}: expected a list of office codes.")
    return data


def _code(item, where):
    if isinstance(item, dict):
        item = item.get("office_code")
    if not isinstance(item, str):
        raise SourceError(f"{where}: expected a code or an object with an office_code.")
    return item.strip().upper()
