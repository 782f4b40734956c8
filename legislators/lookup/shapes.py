"""A point in the Census 1:20,000,000 district maps: a coarse last resort.

The maps are simplified to a few kilometres, so a point this close to a
district line is reported as ambiguous rather than guessed, and every answer
is marked approximate.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from shapely import STRtree
from shapely.geometry import Point, shape

from legislators.divisions import seat_from_geoid
from legislators.lookup.errors import DistrictLookupError
from legislators.lookup.result import Match

# Degrees (about 2 km): the scale of the 1:20M simplification.
UNCERTAIN_WITHIN = 0.02


def shapes_path():
    return Path(settings.DISTRICT_SHAPES_PATH)


def lookup(query):
    if query.kind != "point":
        return None
    tree, seats = load(shapes_path())
    point = Point(query.lon, query.lat)
    near = {seats[i] for i in tree.query(point.buffer(UNCERTAIN_WITHIN), predicate="intersects")}
    return Match(tuple(sorted(near)), "shapes", approximate=True)


@cache
def load(path):
    """The STRtree and the seat of each shape, built once per process."""
    try:
        collection = json.loads(Path(path).read_bytes())
    except OSError as error:
        raise DistrictLookupError(f"District maps unavailable: {error.strerror}.", True) from None
    except ValueError:
        raise DistrictLookupError(f"District maps at {path} are not JSON.", True) from None
    geometries, seats = [], []
    for feature in collection.get("features") or []:
        # GEOID, not PolicyEngine's DISTRICT_ID, which labels PR and DC inconsistently.
        geoid = (feature.get("properties") or {}).get("GEOID")
        try:
            seats.append(seat_from_geoid(geoid))
            geometries.append(shape(feature["geometry"]))
        except (KeyError, TypeError, ValueError) as error:
            raise DistrictLookupError(f"District maps at {path}: {error}", True) from None
    if not geometries:
        raise DistrictLookupError(f"District maps at {path} hold no districts.", True)
    return STRtree(geometries), seats
