"""What the supporter asked: an address, a one-line address, a ZIP or a point."""

import hashlib
import math
import re
from dataclasses import dataclass

from legislators.divisions import STATES
from legislators.lookup.errors import InvalidQuery

ZIP = re.compile(r"^(\d{5})(?:[-\s]?(\d{4}))?$")
# A ZIP (and the state before it) at the end of a one-line address.
LINE_TAIL = re.compile(r"(?:\b([A-Za-z]{2})[\s,]+)?\b(\d{5})(?:-\d{4})?\s*$")
STATE_NAMES = {name.upper(): code for code, (_fips, name) in STATES.items()}
LINE_EXAMPLE = "Enter your address, like 123 Main St, Springfield, IL 62701."
MAX_LENGTH = {"street": 200, "city": 100, "address": 300}


@dataclass(frozen=True)
class Query:
    street: str = ""
    city: str = ""
    state: str = ""
    zip5: str = ""
    line: str = ""
    lat: float | None = None
    lon: float | None = None

    @property
    def kind(self):
        if self.lat is not None:
            return "point"
        if self.line:
            return "line"
        if self.street:
            return "address"
        return "zip"

    def __str__(self):
        if self.kind == "point":
            return f"{self.lat:.5f}, {self.lon:.5f}"
        if self.kind == "line":
            return self.line
        if self.kind == "zip":
            return f"ZIP code {self.zip5}"
        place = " ".join(part for part in (self.state, self.zip5) if part)
        return ", ".join(part for part in (self.street, self.city, place) if part)

    @property
    def cache_key(self):
        """The same for inputs that differ only in case, spacing or punctuation."""
        normal = re.sub(r"[^0-9A-Z#]+", " ", f"{self.kind}|{self}".upper()).strip()
        return hashlib.sha256(normal.encode()).hexdigest()


def make_query(street="", city="", state="", zip_code="", line="", lat=None, lon=None):
    """Check the supporter's input; raise InvalidQuery with a message per field."""
    errors = {}
    if _given(lat) or _given(lon):
        latitude = _coordinate(lat, "lat", 90, "Latitude", errors)
        longitude = _coordinate(lon, "lon", 180, "Longitude", errors)
        if any(_given(value) for value in (street, city, state, zip_code, line)):
            errors["lat"] = "Send an address or a latitude and longitude, not both."
        _raise(errors)
        return Query(lat=latitude, lon=longitude)

    street, city, line = (_text(v) for v in (street, city, line))
    state = _state(state, errors)
    zip5 = _zip(zip_code, errors)
    if line:
        _check_text(line, "address", LINE_EXAMPLE, errors)
        if any((street, city, state, zip5)):
            errors["address"] = "Send a one-line address or its parts, not both."
        _raise(errors)
        tail = LINE_TAIL.search(line)
        line_state = tail.group(1).upper() if tail and tail.group(1) else ""
        return Query(
            line=line,
            zip5=tail.group(2) if tail else "",
            state=line_state if line_state in STATES else "",
        )
    if street:
        _check_text(street, "street", "Enter your street address, like 123 Main St.", errors)
        if city:
            _check_text(city, "city", "Enter the name of your city or town.", errors)
        if not zip5 and not (city and state) and "zip" not in errors:
            errors["zip"] = "Enter your ZIP code, or your city and state."
    elif not zip5 and "zip" not in errors:
        errors["zip"] = "Enter your ZIP code or your street address."
    _raise(errors)
    return Query(street=street, city=city, state=state, zip5=zip5)


def _raise(errors):
    if errors:
        raise InvalidQuery(errors)


def _given(value):
    return value is not None and str(value).strip() != ""


def _text(value):
    """Collapse whitespace and drop control characters."""
    printable = "".join(ch for ch in str(value or "") if ch.isprintable() or ch.isspace())
    return " ".join(printable.split())


def _check_text(value, field, message, errors):
    if len(value) > MAX_LENGTH[field]:
        errors[field] = f"That is too long (at most {MAX_LENGTH[field]} characters)."
    elif not any(ch.isalnum() for ch in value):
        errors[field] = message


def _state(value, errors):
    value = _text(value).upper().removesuffix(".")
    if not value:
        return ""
    code = value if value in STATES else STATE_NAMES.get(value)
    if code is None:
        errors["state"] = "Choose a state or territory, like CA or Puerto Rico."
        return ""
    return code


def _zip(value, errors):
    value = _text(value)
    if not value:
        return ""
    match = ZIP.match(value)
    if not match:
        errors["zip"] = "Enter a 5-digit ZIP code, like 05401 (ZIP+4 like 05401-1234 works too)."
        return ""
    return match.group(1)


def _coordinate(value, field, limit, name, errors):
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number) or not -limit <= number <= limit:
        errors[field] = f"{name} must be a number between -{limit} and {limit}."
        return None
    return number
