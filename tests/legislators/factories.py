"""Small builders for members of Congress, in the shape the importer writes."""

from legislators.models import Chamber, Legislator, ZipDistrict

_serial = iter(range(100000, 999999))


def legislator(state="CA", district=None, **fields):
    """A House member when district is given, else a senator."""
    number = next(_serial)
    values = {
        "bioguide_id": f"T{number:06d}",
        "first_name": "Test",
        "last_name": f"Member{number}",
        "state": state,
        "party": "Independent",
        "phone": "202-555-0100",
        "chamber": Chamber.SENATE if district is None else Chamber.HOUSE,
        "district": district,
    }
    values.update(fields)
    return Legislator.objects.create(**values)


def delegation(state, district, senators=2):
    """The senators and the representative of one seat."""
    ranks = ["senior", "junior"]
    members = [legislator(state, state_rank=ranks[i]) for i in range(senators)]
    return [*members, legislator(state, district)]


def zip_rows(*rows):
    ZipDistrict.objects.bulk_create(ZipDistrict(zcta=z, state=s, district=d) for z, s, d in rows)
