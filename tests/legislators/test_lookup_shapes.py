import pytest

from legislators.divisions import Seat
from legislators.lookup import DistrictLookupError, make_query, shapes
from tests.conftest import shared_path


@pytest.fixture
def maps(settings):
    settings.DISTRICT_SHAPES_PATH = shared_path("data", "districts", "cd119_20m.geojson")


def seats(lat, lon):
    return shapes.lookup(make_query(lat=lat, lon=lon)).seats


@pytest.mark.parametrize(
    ("lat", "lon", "seat"),
    [
        (38.8899, -77.0091, Seat("DC", 0)),  # the Capitol: GEOID 1198
        (41.1400, -104.8202, Seat("WY", 0)),  # Cheyenne: 5600
        (61.2181, -149.9003, Seat("AK", 0)),  # Anchorage: 0200
        (18.4655, -66.1057, Seat("PR", 0)),  # San Juan: 7298, which DISTRICT_ID calls PR-98
        (40.7128, -74.0060, Seat("NY", 10)),  # lower Manhattan
    ],
)
def test_points_in_districts(maps, lat, lon, seat):
    match = shapes.lookup(make_query(lat=lat, lon=lon))
    assert match.seats == (seat,)
    assert match.approximate is True
    assert match.source == "shapes"


def test_near_a_district_line_is_ambiguous(maps):
    # 1109 N Highland St, Arlington (VA-8) is 2 km from the DC line: too
    # close for 1:20M maps to tell.
    assert seats(38.886672, -77.094735) == (Seat("DC", 0), Seat("VA", 8))


def test_the_open_ocean_is_no_district(maps):
    assert seats(0, 0) == ()


def test_only_points_are_handled(maps):
    assert shapes.lookup(make_query(zip_code="94612")) is None


def test_missing_maps_are_a_permanent_error(settings, tmp_path):
    settings.DISTRICT_SHAPES_PATH = tmp_path / "absent.geojson"
    with pytest.raises(DistrictLookupError) as error:
        seats(38.9, -77.0)
    assert error.value.permanent


def test_maps_are_keyed_on_geoid(settings, tmp_path):
    path = tmp_path / "tiny.geojson"
    path.write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", '
        '"properties": {"GEOID": "7298", "DISTRICT_ID": "PR-98"}, "geometry": '
        '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}'
    )
    settings.DISTRICT_SHAPES_PATH = path
    assert seats(0.5, 0.5) == (Seat("PR", 0),)
    assert seats(5, 5) == ()
