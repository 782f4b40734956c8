import json

from django.core.management.base import BaseCommand, CommandError

from legislators.lookup import InvalidQuery, find_representation, make_query


class Command(BaseCommand):
    help = "Show who represents an address, a ZIP code or a point."

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default="", help="A one-line street address.")
        parser.add_argument("--zip", dest="zip_code", default="", help="A ZIP code.")
        parser.add_argument("--lat", default=None, help="Latitude, with --lon.")
        parser.add_argument("--lon", default=None, help="Longitude, with --lat.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, address, zip_code, lat, lon, **options):
        try:
            query = make_query(line=address, zip_code=zip_code, lat=lat, lon=lon)
        except InvalidQuery as error:
            raise CommandError(" ".join(error.errors.values())) from None
        result = find_representation(query)
        if options["json"]:
            self.stdout.write(json.dumps(result.to_dict(), indent=2))
            return
        self.stdout.write(f"[{result.status}] {result.message}")
        if result.matched_address:
            self.stdout.write(f"Matched: {result.matched_address}")
        if result.source:
            districts = ", ".join(seat.label for seat in result.districts)
            self.stdout.write(f"District: {districts} (from {result.source})")
        for member in result.legislators:
            self.stdout.write(f"  {describe(member)}")
        for candidate in result.candidates:
            vacant = " (House seat vacant)" if candidate.vacant else ""
            self.stdout.write(f"{candidate.seat.label}: {candidate.seat.name}{vacant}")
            for member in candidate.legislators:
                self.stdout.write(f"  {describe(member)}")
        for note in result.notes:
            self.stdout.write(f"Note: {note}")


def describe(member):
    where = member.seat_label
    phone = f", {member.phone}" if member.phone else ""
    return (
        f"{member.title} {member.display_name} ({member.party_initial}-{where}){phone} "
        f"[{member.bioguide_id}]"
    )
