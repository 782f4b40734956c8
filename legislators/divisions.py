"""States, House seats and OCD division ids: the one place that knows them.

Every lookup backend speaks a different dialect (Census GEOIDs, Geocodio's
district numbers, the ZIP table's `cd` column); they all end up as a `Seat`,
whose OCD id is the key campaigns use.
"""

import re
from dataclasses import dataclass

# code: (FIPS, name). DC and the five territories elect one non-voting
# member of the House and no senators.
STATES = {
    "AL": ("01", "Alabama"),
    "AK": ("02", "Alaska"),
    "AZ": ("04", "Arizona"),
    "AR": ("05", "Arkansas"),
    "CA": ("06", "California"),
    "CO": ("08", "Colorado"),
    "CT": ("09", "Connecticut"),
    "DE": ("10", "Delaware"),
    "DC": ("11", "District of Columbia"),
    "FL": ("12", "Florida"),
    "GA": ("13", "Georgia"),
    "HI": ("15", "Hawaii"),
    "ID": ("16", "Idaho"),
    "IL": ("17", "Illinois"),
    "IN": ("18", "Indiana"),
    "IA": ("19", "Iowa"),
    "KS": ("20", "Kansas"),
    "KY": ("21", "Kentucky"),
    "LA": ("22", "Louisiana"),
    "ME": ("23", "Maine"),
    "MD": ("24", "Maryland"),
    "MA": ("25", "Massachusetts"),
    "MI": ("26", "Michigan"),
    "MN": ("27", "Minnesota"),
    "MS": ("28", "Mississippi"),
    "MO": ("29", "Missouri"),
    "MT": ("30", "Montana"),
    "NE": ("31", "Nebraska"),
    "NV": ("32", "Nevada"),
    "NH": ("33", "New Hampshire"),
    "NJ": ("34", "New Jersey"),
    "NM": ("35", "New Mexico"),
    "NY": ("36", "New York"),
    "NC": ("37", "North Carolina"),
    "ND": ("38", "North Dakota"),
    "OH": ("39", "Ohio"),
    "OK": ("40", "Oklahoma"),
    "OR": ("41", "Oregon"),
    "PA": ("42", "Pennsylvania"),
    "RI": ("44", "Rhode Island"),
    "SC": ("45", "South Carolina"),
    "SD": ("46", "South Dakota"),
    "TN": ("47", "Tennessee"),
    "TX": ("48", "Texas"),
    "UT": ("49", "Utah"),
    "VT": ("50", "Vermont"),
    "VA": ("51", "Virginia"),
    "WA": ("53", "Washington"),
    "WV": ("54", "West Virginia"),
    "WI": ("55", "Wisconsin"),
    "WY": ("56", "Wyoming"),
    "AS": ("60", "American Samoa"),
    "GU": ("66", "Guam"),
    "MP": ("69", "Northern Mariana Islands"),
    "PR": ("72", "Puerto Rico"),
    "VI": ("78", "U.S. Virgin Islands"),
}
STATE_BY_FIPS = {fips: code for code, (fips, _name) in STATES.items()}
DELEGATE_AREAS = {"DC", "AS", "GU", "MP", "VI"}
RESIDENT_COMMISSIONER_AREAS = {"PR"}
NO_SENATORS = DELEGATE_AREAS | RESIDENT_COMMISSIONER_AREAS
TERRITORIES = NO_SENATORS - {"DC"}

# Seats per state from the 2020 apportionment, in force for the 118th to the
# 122nd Congress (2023-2033). A district number a backend reports outside
# these is a data error, not a vacancy. The real-data tests check this table
# against the ZIP table and the district shapes.
APPORTIONMENT = {
    "AL": 7, "AK": 1, "AZ": 9, "AR": 4, "CA": 52, "CO": 8, "CT": 5, "DE": 1, "FL": 28,
    "GA": 14, "HI": 2, "ID": 2, "IL": 17, "IN": 9, "IA": 4, "KS": 4, "KY": 6, "LA": 6,
    "ME": 2, "MD": 8, "MA": 9, "MI": 13, "MN": 8, "MS": 4, "MO": 8, "MT": 2, "NE": 3,
    "NV": 4, "NH": 2, "NJ": 12, "NM": 3, "NY": 26, "NC": 14, "ND": 1, "OH": 15, "OK": 5,
    "OR": 6, "PA": 17, "RI": 2, "SC": 7, "SD": 1, "TN": 9, "TX": 38, "UT": 4, "VT": 1,
    "VA": 11, "WA": 10, "WV": 2, "WI": 8, "WY": 1,
}  # fmt: skip

# USPS ZIP ranges of the island areas, which the Census ZCTA-based ZIP table
# leaves out. Each area has a single seat, so its ZIP decides it.
TERRITORY_ZIPS = {
    "AS": ("96799", "96799"),
    "GU": ("96910", "96932"),
    "MP": ("96950", "96952"),
    "VI": ("00801", "00851"),
}

GEOID = re.compile(r"^(\d{2})(\d{2})$")
OCD_PREFIX = "ocd-division/country:us/"


def single_seat(state):
    """True where one member represents the whole state or area."""
    return state in NO_SENATORS or APPORTIONMENT.get(state) == 1


@dataclass(frozen=True, order=True)
class Seat:
    """One House seat. `number` is 0 where a single member represents the
    whole state, DC or a territory, as congress-legislators writes it."""

    state: str
    number: int

    def __post_init__(self):
        if self.state not in STATES:
            raise ValueError(f"{self.state!r} is not a state, DC or a territory.")
        if single_seat(self.state):
            valid = self.number == 0
        else:
            valid = 1 <= self.number <= APPORTIONMENT[self.state]
        if not valid:
            raise ValueError(f"{self.state} has no congressional district {self.number}.")

    @property
    def ocd_id(self):
        if single_seat(self.state):
            return state_ocd_id(self.state)
        return f"{state_ocd_id(self.state)}/cd:{self.number}"

    @property
    def label(self):
        """How a supporter reads it: "CA-12", "WY at-large", "DC"."""
        if self.state in NO_SENATORS:
            return self.state
        if self.number == 0:
            return f"{self.state} at-large"
        return f"{self.state}-{self.number}"

    @property
    def name(self):
        state_name = STATES[self.state][1]
        if self.state in NO_SENATORS:
            return state_name
        if self.number == 0:
            return f"{state_name} at-large district"
        return f"{state_name}'s {ordinal(self.number)} district"


def state_ocd_id(state):
    """OCD ids: DC is a `district`, the island areas and PR `territory`."""
    if state == "DC":
        return f"{OCD_PREFIX}district:dc"
    if state in TERRITORIES:
        return f"{OCD_PREFIX}territory:{state.lower()}"
    return f"{OCD_PREFIX}state:{state.lower()}"


def seat_from_geoid(geoid):
    """A Census congressional district GEOID (state FIPS + 2 digits) as a Seat.

    Census writes `00` for at-large states and `98` for the DC and PR
    delegates; congress-legislators writes 0 for both. Anything else that is
    not a real district (e.g. `ZZ`, water only) raises ValueError.
    """
    match = GEOID.match(str(geoid).strip())
    if not match:
        raise ValueError(f"{geoid!r} is not a congressional district GEOID.")
    fips, number = match.groups()
    state = STATE_BY_FIPS.get(fips)
    if state is None:
        raise ValueError(f"{geoid!r} has an unknown state FIPS code {fips}.")
    number = int(number)
    if number == 98 and state in NO_SENATORS:
        number = 0
    return Seat(state, number)


def seat_from_ocd_id(ocd_id):
    for state in STATES:
        prefix = state_ocd_id(state)
        if ocd_id == prefix and single_seat(state):
            return Seat(state, 0)
        if ocd_id.startswith(prefix + "/cd:"):
            number = ocd_id.removeprefix(prefix + "/cd:")
            if number.isdigit():
                return Seat(state, int(number))
    raise ValueError(f"{ocd_id!r} is not the OCD id of a House seat.")


def all_seats():
    for state in STATES:
        if single_seat(state):
            yield Seat(state, 0)
        else:
            yield from (Seat(state, n) for n in range(1, APPORTIONMENT[state] + 1))


def territory_for_zip(zip5):
    for state, (low, high) in TERRITORY_ZIPS.items():
        if low <= zip5 <= high:
            return state
    return None


def ordinal(number):
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
