"""Read the official data files into plain rows. No database here.

`read_legislators` takes the unitedstates/congress-legislators files (JSON or
YAML; a file, a folder or a URL) and `read_zip_districts` the ZCTA→district
CSV. Both check every record and raise SourceError naming the file and the
record, so a bad file is refused before anything is written.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
import yaml
from django.conf import settings

from legislators.divisions import NO_SENATORS, STATES, Seat

OFFICIAL_LEGISLATORS_URL = (
    "https://unitedstates.github.io/congress-legislators/legislators-current.json"
)
OFFICIAL_ZIP_DISTRICTS_URL = (
    "https://raw.githubusercontent.com/OpenSourceActivismTech/us-zipcodes-congress/master/zccd.csv"
)
CURRENT = "legislators-current"
SOCIAL = "legislators-social-media"
OFFICES = "legislators-district-offices"
EXTENSIONS = (".json", ".yaml", ".yml")
# (connect, read) seconds. The files are a few MB from a CDN.
TIMEOUT = (10, 60)
# The roster is 1.5 MB; anything far bigger is not the file we asked for.
MAX_BYTES = 50 * 1024 * 1024
BIOGUIDE = re.compile(r"^[A-Z]\d{6}$")
ZCTA = re.compile(r"^\d{5}$")
SOCIAL_FIELDS = ("twitter", "facebook", "instagram", "youtube")
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SourceError(Exception):
    """The data could not be read. Transient errors (network) are worth retrying."""

    def __init__(self, message, permanent=True):
        super().__init__(message)
        self.permanent = permanent


@dataclass
class Roster:
    rows: list = field(default_factory=list)
    files: list = field(default_factory=list)


def is_url(source):
    return urlsplit(str(source)).scheme in ("http", "https")


def read_legislators(source):
    """Rows of Legislator fields, one per current member, with `offices`
    and the social accounts when those files are present."""
    main = _locate_roster(source)
    members = load_file(main)
    roster = Roster(files=[file_name(main)])
    if not isinstance(members, list):
        raise SourceError(f"{file_name(main)}: expected a list of members.")
    for index, member in enumerate(members, start=1):
        roster.rows.append(_legislator_row(member, f"{file_name(main)}, record {index}"))
    _check_seats(roster.rows, file_name(main))

    # The extra files are optional. Without one, its fields stay out of the
    # rows, so an import leaves what an earlier one stored.
    by_bioguide = {row["bioguide_id"]: row for row in roster.rows}
    social = load_file(_sibling(main, SOCIAL), optional=True)
    if social is not None:
        roster.files.append(file_name(_sibling(main, SOCIAL)))
        for row in roster.rows:
            row.update(dict.fromkeys(SOCIAL_FIELDS, ""))
        for record in _records(social, _sibling(main, SOCIAL)):
            row = by_bioguide.get(_bioguide_of(record))
            if row is not None:
                accounts = record.get("social") or {}
                row.update({key: str(accounts.get(key) or "") for key in SOCIAL_FIELDS})
    offices = load_file(_sibling(main, OFFICES), optional=True)
    if offices is not None:
        roster.files.append(file_name(_sibling(main, OFFICES)))
        for row in roster.rows:
            row["offices"] = []
        for record in _records(offices, _sibling(main, OFFICES)):
            row = by_bioguide.get(_bioguide_of(record))
            if row is not None:
                row["offices"] = [_office_row(office) for office in record.get("offices") or []]
    return roster


def read_zip_districts(source):
    """(zcta, state, district) tuples, without duplicates, in file order."""
    location = _zip_location(source)
    name = file_name(location)
    raw = _read_bytes(location)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"{name}: not UTF-8 text ({error}).") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = {"state_abbr", "zcta", "cd"} - set(reader.fieldnames or ())
    if missing:
        raise SourceError(f"{name}: missing columns {', '.join(sorted(missing))}.")
    rows = {}
    for record in reader:
        where = f"{name}, line {reader.line_num}"
        zcta = (record["zcta"] or "").strip()
        state = (record["state_abbr"] or "").strip().upper()
        if not ZCTA.match(zcta):
            raise SourceError(f"{where}: zcta {zcta!r} is not five digits.")
        fips = (record.get("state_fips") or "").strip()
        if state in STATES and fips and fips.zfill(2) != STATES[state][0]:
            raise SourceError(f"{where}: state_fips {fips} does not match {state}.")
        try:
            seat = Seat(state, int(record["cd"]))
        except (TypeError, ValueError) as error:
            raise SourceError(f"{where}: {error}") from None
        rows[(zcta, seat.state, seat.number)] = None
    if not rows:
        raise SourceError(f"{name}: no rows.")
    return list(rows)


def _legislator_row(member, where):
    if not isinstance(member, dict):
        raise SourceError(f"{where}: expected a mapping.")
    bioguide = _bioguide_of(member)
    if not BIOGUIDE.match(bioguide):
        raise SourceError(f"{where}: missing or malformed id.bioguide {bioguide!r}.")
    where = f"{where} ({bioguide})"
    name = member.get("name") or {}
    if not name.get("first") or not name.get("last"):
        raise SourceError(f"{where}: name.first and name.last are required.")
    terms = member.get("terms") or []
    if not terms or not isinstance(terms[-1], dict):
        raise SourceError(f"{where}: no terms.")
    term = terms[-1]
    state = term.get("state")
    if state not in STATES:
        raise SourceError(f"{where}: unknown state {state!r}.")
    row = {
        "bioguide_id": bioguide,
        "first_name": str(name["first"]),
        "middle_name": str(name.get("middle") or ""),
        "last_name": str(name["last"]),
        "suffix": str(name.get("suffix") or ""),
        "nickname": str(name.get("nickname") or ""),
        "official_full_name": str(name.get("official_full") or ""),
        "state": state,
        "party": str(term.get("party") or ""),
        "phone": str(term.get("phone") or ""),
        "office_address": str(term.get("address") or ""),
        "website": str(term.get("url") or ""),
        "contact_form_url": str(term.get("contact_form") or ""),
        "term_start": _date(term.get("start"), f"{where}: start"),
        "term_end": _date(term.get("end"), f"{where}: end"),
    }
    if term.get("type") == "sen":
        if state in NO_SENATORS:
            raise SourceError(f"{where}: {state} has no senators.")
        row.update(
            chamber="senate",
            district=None,
            senate_class=_int_or_none(term.get("class"), f"{where}: class"),
            state_rank=str(term.get("state_rank") or ""),
        )
    elif term.get("type") == "rep":
        try:
            seat = Seat(state, int(term.get("district")))
        except (TypeError, ValueError) as error:
            raise SourceError(f"{where}: bad district {term.get('district')!r}: {error}") from None
        row.update(chamber="house", district=seat.number, senate_class=None, state_rank="")
    else:
        raise SourceError(f"{where}: term type {term.get('type')!r} is neither sen nor rep.")
    return row


def _check_seats(rows, name):
    """Two members in one seat would both get letters: refuse the file."""
    bioguides, house, senators = set(), {}, {}
    for row in rows:
        bioguide = row["bioguide_id"]
        if bioguide in bioguides:
            raise SourceError(f"{name}: {bioguide} appears twice.")
        bioguides.add(bioguide)
        if row["chamber"] == "house":
            seat = (row["state"], row["district"])
            if seat in house:
                raise SourceError(
                    f"{name}: {house[seat]} and {bioguide} both hold {Seat(*seat).label}."
                )
            house[seat] = bioguide
        else:
            senators.setdefault(row["state"], []).append(bioguide)
            if len(senators[row["state"]]) > 2:
                listed = ", ".join(senators[row["state"]])
                raise SourceError(f"{name}: {row['state']} has more than two senators: {listed}.")


def _office_row(office):
    return {
        "office_id": str(office.get("id") or ""),
        "address": str(office.get("address") or ""),
        "suite": str(office.get("suite") or ""),
        "building": str(office.get("building") or ""),
        "city": str(office.get("city") or ""),
        "state": str(office.get("state") or ""),
        "zip_code": str(office.get("zip") or ""),
        "phone": str(office.get("phone") or ""),
        "fax": str(office.get("fax") or ""),
        "latitude": _float_or_none(office.get("latitude")),
        "longitude": _float_or_none(office.get("longitude")),
    }


def _records(data, location):
    if not isinstance(data, list):
        raise SourceError(f"{file_name(location)}: expected a list of records.")
    return [record for record in data if isinstance(record, dict)]


def _bioguide_of(record):
    ids = record.get("id") if isinstance(record, dict) else None
    return str((ids or {}).get("bioguide") or "") if isinstance(ids, dict) else ""


def _date(value, where):
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SourceError(f"{where} {value!r} is not a date.") from None


def _int_or_none(value, where):
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SourceError(f"{where} {value!r} is not a number.") from None


def _float_or_none(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# Where the files are: a folder or file on disk, or a URL.


def in_folder(folder, stem):
    """The file called `stem` in a congress-legislators folder: at its top
    or in its json/ subfolder (the gh-pages JSON parses ten times faster
    than the YAML), else the YAML."""
    for candidate in (
        folder / f"{stem}.json",
        folder / "json" / f"{stem}.json",
        folder / f"{stem}.yaml",
        folder / f"{stem}.yml",
    ):
        if candidate.is_file():
            return candidate
    raise SourceError(f"{folder}: no {stem}.json or .yaml in this folder.")


def _locate_roster(source):
    if is_url(source):
        if str(source).endswith(EXTENSIONS):
            return str(source)
        return f"{str(source).rstrip('/')}/{CURRENT}.json"
    path = Path(source)
    if path.is_dir():
        return in_folder(path, CURRENT)
    if not path.is_file():
        raise SourceError(f"{path}: no such file or folder.")
    return path


def _zip_location(source):
    if is_url(source):
        return str(source)
    path = Path(source)
    if path.is_dir():
        path = path / "zccd.csv"
    if not path.is_file():
        raise SourceError(f"{path}: no such file.")
    return path


def _sibling(location, stem):
    """The file called `stem` next to `location`, in the same format."""
    if isinstance(location, Path):
        return location.with_name(stem + location.suffix)
    parts = urlsplit(location)
    folder, _, filename = parts.path.rpartition("/")
    suffix = filename[filename.rfind(".") :]
    return urlunsplit(parts._replace(path=f"{folder}/{stem}{suffix}"))


def file_name(location):
    return location.name if isinstance(location, Path) else location


def load_file(location, optional=False):
    """A JSON or YAML data file from disk or a URL, parsed; None when it is
    optional and missing."""
    raw = _read_bytes(location, optional=optional)
    if raw is None:
        return None
    try:
        if str(location).endswith(".json"):
            return json.loads(raw)
        return yaml.load(raw, Loader=YAML_LOADER)  # noqa: S506 (a safe loader)
    except (ValueError, yaml.YAMLError) as error:
        raise SourceError(f"{file_name(location)}: cannot be parsed: {error}") from None


def _read_bytes(location, optional=False):
    if isinstance(location, Path):
        if optional and not location.is_file():
            return None
        try:
            return location.read_bytes()
        except OSError as error:
            raise SourceError(f"{location}: {error.strerror}.") from None
    return fetch(location, optional=optional)


def fetch(url, optional=False):
    """GET a data file. None when optional and the server says 404."""
    try:
        with requests.get(url, timeout=TIMEOUT, stream=True) as response:
            if optional and response.status_code == 404:
                return None
            if response.status_code >= 400:
                raise SourceError(
                    f"{url}: HTTP {response.status_code}.", permanent=response.status_code < 500
                )
            body = bytearray()
            for chunk in response.iter_content(chunk_size=65536):
                body.extend(chunk)
                if len(body) > MAX_BYTES:
                    raise SourceError(f"{url}: larger than {MAX_BYTES} bytes.")
            return bytes(body)
    except requests.RequestException as error:
        raise SourceError(f"{url}: {error.__class__.__name__}: {error}", permanent=False) from None


def default_legislators_source():
    """LEGISLATORS_SOURCE, else the local copy when there is one, else the official URL."""
    return _default_source("LEGISLATORS_SOURCE", "congress-legislators", OFFICIAL_LEGISLATORS_URL)


def default_zip_districts_source():
    return _default_source(
        "ZIP_DISTRICTS_SOURCE", "zip-districts/zccd.csv", OFFICIAL_ZIP_DISTRICTS_URL
    )


def _default_source(setting, local_name, official_url):
    configured = getattr(settings, setting)
    if configured:
        return configured
    local = Path(settings.LOCAL_DATA_DIR) / local_name
    if local.exists():
        return local
    return official_url
