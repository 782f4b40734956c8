"""Read the congress-legislators committee files into plain rows. No database here.

`committees-current` lists committees with their subcommittees;
`committee-membership-current` maps each code ("SSEG", "SSEG01") to its
members by bioguide id. They sit beside `legislators-current` (a folder, a
file or a URL; JSON or YAML), and are checked whole before anything is
written: a bad record raises SourceError naming the file and the record.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from legislators.importers import BIOGUIDE, SourceError, file_name, in_folder, is_url, load_file

COMMITTEES = "committees-current"
MEMBERSHIP = "committee-membership-current"
CHAMBERS = {"house", "senate", "joint"}
COMMITTEE_CODE = re.compile(r"^[HSJ][A-Z]{3}$")
SUBCOMMITTEE_ID = re.compile(r"^\d{2}$")


@dataclass
class CommitteeData:
    # {code, parent_code, chamber, name, url}, committees before their subcommittees.
    committees: list = field(default_factory=list)
    # {code, bioguide_id, side, rank, title}
    memberships: list = field(default_factory=list)
    files: list = field(default_factory=list)


def read_committees(source, optional=False):
    """Both files from the folder, file or URL the roster is read from;
    None when `optional` and either is missing."""
    try:
        committees_at = locate(source, COMMITTEES)
        membership_at = locate(source, MEMBERSHIP)
    except SourceError:
        if optional:
            return None
        raise
    records = load_file(committees_at, optional)
    members = load_file(membership_at, optional)
    if records is None or members is None:
        return None
    data = CommitteeData(files=[file_name(committees_at), file_name(membership_at)])
    if not isinstance(records, list):
        raise SourceError(f"{file_name(committees_at)}: expected a list of committees.")
    for index, record in enumerate(records, start=1):
        data.committees.extend(
            _committee_rows(record, f"{file_name(committees_at)}, record {index}")
        )
    codes = [row["code"] for row in data.committees]
    if len(set(codes)) != len(codes):
        twice = sorted({code for code in codes if codes.count(code) > 1})
        raise SourceError(f"{file_name(committees_at)}: {', '.join(twice)} listed twice.")

    if not isinstance(members, dict):
        raise SourceError(f"{file_name(membership_at)}: expected a mapping of codes to members.")
    known = set(codes)
    for code, people in members.items():
        where = f"{file_name(membership_at)}, {code}"
        if code not in known:
            raise SourceError(f"{where}: no such committee in {file_name(committees_at)}.")
        if not isinstance(people, list):
            raise SourceError(f"{where}: expected a list of members.")
        seen = set()
        for person in people:
            row = _membership_row(code, person, where)
            if row["bioguide_id"] not in seen:
                seen.add(row["bioguide_id"])
                data.memberships.append(row)
    return data


def _committee_rows(record, where):
    if not isinstance(record, dict):
        raise SourceError(f"{where}: expected a mapping.")
    code = str(record.get("thomas_id") or "")
    if not COMMITTEE_CODE.match(code):
        raise SourceError(f"{where}: malformed thomas_id {code!r}.")
    where = f"{where} ({code})"
    chamber = record.get("type")
    if chamber not in CHAMBERS:
        raise SourceError(f"{where}: type {chamber!r} is not house, senate or joint.")
    if not record.get("name"):
        raise SourceError(f"{where}: no name.")
    rows = [_row(code, None, chamber, record)]
    for sub in record.get("subcommittees") or []:
        sub_id = str(sub.get("thomas_id") or "") if isinstance(sub, dict) else ""
        if not SUBCOMMITTEE_ID.match(sub_id) or not sub.get("name"):
            raise SourceError(f"{where}: a subcommittee needs a two-digit thomas_id and a name.")
        rows.append(_row(code + sub_id, code, chamber, sub))
    return rows


def _row(code, parent_code, chamber, record):
    return {
        "code": code,
        "parent_code": parent_code,
        "chamber": chamber,
        "name": " ".join(str(record["name"]).split())[:300],
        "url": str(record.get("url") or "")[:300],
    }


def _membership_row(code, person, where):
    if not isinstance(person, dict):
        raise SourceError(f"{where}: expected a mapping per member.")
    bioguide = str(person.get("bioguide") or "")
    if not BIOGUIDE.match(bioguide):
        raise SourceError(f"{where}: malformed bioguide {bioguide!r}.")
    rank = person.get("rank")
    return {
        "code": code,
        "bioguide_id": bioguide,
        "side": str(person.get("party") or "")[:10],
        "rank": rank if isinstance(rank, int) and 0 <= rank < 1000 else None,
        "title": str(person.get("title") or "")[:100],
    }


def locate(source, stem):
    """The file called `stem` where the roster `source` is: in the folder
    (or its json/ subfolder), or beside the file or URL."""
    if is_url(source):
        parts = urlsplit(str(source))
        folder, _, filename = parts.path.rpartition("/")
        suffix = filename[filename.rfind(".") :] if "." in filename else ".json"
        if "." not in filename:
            folder = parts.path.rstrip("/")
        return urlunsplit(parts._replace(path=f"{folder}/{stem}{suffix}"))
    path = Path(source)
    if path.is_dir():
        return in_folder(path, stem)
    candidate = path.with_name(stem + path.suffix)
    if not candidate.is_file():
        raise SourceError(f"{candidate}: no such file.")
    return candidate
