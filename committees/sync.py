"""Write what committees.importer reads: committees upserted by code,
memberships made to match the file, in one transaction."""

from dataclasses import dataclass

from django.db import transaction

from committees.importer import read_committees
from committees.models import Committee, Membership
from legislators.models import Legislator

COMMITTEE_FIELDS = ("chamber", "name", "url", "current")
MEMBERSHIP_FIELDS = ("side", "rank", "title")


@dataclass
class CommitteeCounts:
    committees_created: int = 0
    committees_updated: int = 0
    committees_ended: int = 0
    memberships_added: int = 0
    memberships_changed: int = 0
    memberships_removed: int = 0
    # Members the file lists who are not in the roster (not imported yet).
    unknown_members: int = 0


@transaction.atomic
def save_committees(data):
    counts = CommitteeCounts()
    existing = Committee.objects.in_bulk(field_name="code")
    # Committees come before their subcommittees, so a parent exists by then.
    for row in data.committees:
        values = {
            "chamber": row["chamber"],
            "name": row["name"],
            "url": row["url"],
            "current": True,
            "parent": existing[row["parent_code"]] if row["parent_code"] else None,
        }
        committee = existing.get(row["code"])
        if committee is None:
            existing[row["code"]] = Committee.objects.create(code=row["code"], **values)
            counts.committees_created += 1
        elif any(getattr(committee, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(committee, key, value)
            committee.save()
            counts.committees_updated += 1
    listed = {row["code"] for row in data.committees}
    counts.committees_ended = (
        Committee.objects.filter(current=True).exclude(code__in=listed).update(current=False)
    )
    _match_memberships(data.memberships, existing, counts)
    return counts


def _match_memberships(rows, committees, counts):
    legislators = dict(Legislator.objects.values_list("bioguide_id", "id"))
    wanted = {}
    for row in rows:
        legislator_id = legislators.get(row["bioguide_id"])
        if legislator_id is None:
            counts.unknown_members += 1
            continue
        key = (committees[row["code"]].id, legislator_id)
        wanted[key] = {name: row[name] for name in MEMBERSHIP_FIELDS}
    have = {(m.committee_id, m.legislator_id): m for m in Membership.objects.all()}

    gone = [m.id for key, m in have.items() if key not in wanted]
    counts.memberships_removed, _ = Membership.objects.filter(id__in=gone).delete()
    new = [
        Membership(committee_id=committee_id, legislator_id=legislator_id, **values)
        for (committee_id, legislator_id), values in wanted.items()
        if (committee_id, legislator_id) not in have
    ]
    Membership.objects.bulk_create(new, batch_size=1000)
    counts.memberships_added = len(new)
    changed = []
    for key, values in wanted.items():
        membership = have.get(key)
        if membership and any(getattr(membership, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(membership, name, value)
            changed.append(membership)
    Membership.objects.bulk_update(changed, MEMBERSHIP_FIELDS, batch_size=1000)
    counts.memberships_changed = len(changed)


def import_committees(source, optional=False):
    """Read and save the committee files beside the roster `source`; None
    when `optional` and they are not there."""
    data = read_committees(source, optional=optional)
    return None if data is None else save_committees(data)
