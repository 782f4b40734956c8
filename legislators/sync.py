"""Write what the importers read: upserts by bioguide id, and the ZIP table.

Each function runs in one transaction, so a failure part way leaves the
previous data in place.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from committees.sync import import_committees
from legislators.importers import (
    default_legislators_source,
    default_zip_districts_source,
    is_url,
    read_legislators,
    read_zip_districts,
)
from legislators.models import DistrictOffice, Legislator, ZipDistrict
from legislators.roster import roster_changed

# A new Congress replaces about a fifth of the members. A file that would
# send far more of them home is truncated or wrong, and we would stop
# writing to members who still serve.
MAX_DEPARTING_SHARE = 0.3


class ImportRefused(Exception):
    pass


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departed: int = 0


def save_legislators(rows, progress=None, allow_mass_departure=False):
    """Upsert rows from importers.read_legislators and mark departed members.

    `progress(done, total)` is called as rows are compared.
    """
    counts = ImportCounts()
    incoming = {row["bioguide_id"] for row in rows}
    with transaction.atomic():
        existing = {legislator.bioguide_id: legislator for legislator in Legislator.objects.all()}
        in_office = {bioguide for bioguide, member in existing.items() if member.in_office}
        departing = in_office - incoming
        mass = in_office and len(departing) > MAX_DEPARTING_SHARE * len(in_office)
        if mass and not allow_mass_departure:
            raise ImportRefused(
                f"This file would mark {len(departing)} of {len(in_office)} members as out "
                "of office. If that is right (a new Congress), import again with "
                "--allow-mass-departure."
            )

        now = timezone.now()
        to_create, to_update, field_names = [], [], set()
        for done, row in enumerate(rows, start=1):
            values = {key: value for key, value in row.items() if key != "offices"}
            values["in_office"] = True
            member = existing.get(row["bioguide_id"])
            if member is None:
                to_create.append(Legislator(**values))
            else:
                changed = {k for k, v in values.items() if getattr(member, k) != v}
                if changed:
                    for key in changed:
                        setattr(member, key, values[key])
                    member.updated_at = now
                    field_names |= changed
                    to_update.append(member)
                else:
                    counts.unchanged += 1
            if progress:
                progress(done, len(rows))
        Legislator.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Legislator.objects.bulk_update(
                to_update, [*sorted(field_names), "updated_at"], batch_size=500
            )
        counts.created, counts.updated = len(to_create), len(to_update)
        counts.departed = Legislator.objects.filter(bioguide_id__in=departing).update(
            in_office=False, updated_at=now
        )
        transaction.on_commit(roster_changed)
        _replace_offices(rows)
    return counts


def _replace_offices(rows):
    """Each member's offices as the file lists them (rows without an
    `offices` key came from a source without the offices file)."""
    rows = [row for row in rows if "offices" in row]
    bioguides = [row["bioguide_id"] for row in rows]
    ids = dict(
        Legislator.objects.filter(bioguide_id__in=bioguides).values_list("bioguide_id", "id")
    )
    DistrictOffice.objects.filter(legislator_id__in=ids.values()).delete()
    offices = {}
    for row in rows:
        for office in row["offices"]:
            # Office ids are unique upstream; keep the last if a file repeats one.
            if office["office_id"]:
                offices[office["office_id"]] = DistrictOffice(
                    legislator_id=ids[row["bioguide_id"]], **office
                )
    DistrictOffice.objects.bulk_create(offices.values(), batch_size=1000)


def replace_zip_districts(rows):
    """Replace the whole ZIP table with (zcta, state, district) rows."""
    with transaction.atomic():
        ZipDistrict.objects.all().delete()
        ZipDistrict.objects.bulk_create(
            (ZipDistrict(zcta=z, state=s, district=d) for z, s, d in rows), batch_size=5000
        )
    return len(rows)


def refresh_from_urls():
    """Re-download both tables when their source is a URL; a local copy is
    left alone (there is nothing new to fetch). Returns what was done."""
    done = {}
    source = default_legislators_source()
    if is_url(source):
        counts = save_legislators(read_legislators(source).rows)
        done["legislators"] = vars(counts)
        if committees := import_committees(source, optional=True):
            done["committees"] = vars(committees)
    source = default_zip_districts_source()
    if is_url(source):
        done["zip_districts"] = replace_zip_districts(read_zip_districts(source))
    return done
