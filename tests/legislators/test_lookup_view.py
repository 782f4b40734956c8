import json

import pytest
from django.urls import include, path

from legislators.lookup import census
from tests.factories import delegation, legislator, zip_rows
from tests.legislators.conftest import FIXTURES

# The project includes legislators.urls at /lookup/; this test urlconf does
# the same so the view is tested on its own.
urlpatterns = [path("lookup/", include("legislators.urls"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def vermont():
    members = delegation("VT", 0)
    zip_rows(("05401", "VT", 0))
    return members


def test_zip_as_json(client, vermont):
    response = client.get("/lookup/", {"zip": "05401"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = response.json()
    assert data["status"] == "ok"
    assert [m["bioguide_id"] for m in data["legislators"]] == [m.bioguide_id for m in vermont]


def test_queries_are_pinned(client, vermont, django_assert_num_queries):
    # One for the ZIP table, one for the members, however many members.
    with django_assert_num_queries(2):
        client.get("/lookup/", {"zip": "05401"})
    zip_rows(("94601", "CA", 12), ("94601", "CA", 13), ("94601", "CA", 14))
    delegation("CA", 12)
    delegation("CA", 13, senators=0)
    with django_assert_num_queries(2):
        response = client.get("/lookup/", {"zip": "94601", "format": "html"})
    assert response.context["result"].status == "ambiguous"


def test_structured_address(client, no_network):
    members = delegation("CA", 12)
    no_network.get(
        census.BASE_URL + "address",
        json=json.loads((FIXTURES / "census_119th_address.json").read_text()),
    )
    data = client.get(
        "/lookup/", {"street": "1 Made Up Way", "city": "Oakland", "state": "CA", "zip": "94612"}
    ).json()
    assert data["source"] == "census"
    assert [m["bioguide_id"] for m in data["legislators"]] == [m.bioguide_id for m in members]


def test_html_partial_for_htmx(client, vermont):
    response = client.get("/lookup/", {"zip": "05401"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-status="ok"' in html
    for member in vermont:
        assert member.display_name in html
        assert (
            f'src="https://unitedstates.github.io/images/congress/225x275/{member.bioguide_id}.jpg"'
            in html
        )
        assert f'alt="Photo of {member.title} {member.display_name}"' in html
    assert 'class="legislator-initials" aria-hidden="true">TM<' in html
    # Strict CSP: nothing inline.
    assert "style=" not in html
    assert "onerror" not in html
    assert "<script" not in html


def test_html_shows_a_vacancy_and_candidates(client):
    delegation("CA", 12)
    legislator("CA", 14, in_office=False)
    zip_rows(("94401", "CA", 14), ("94601", "CA", 12), ("94601", "CA", 14))
    html = client.get("/lookup/", {"zip": "94401", "format": "html"}).content.decode()
    assert "The House seat for California&#x27;s 14th district is vacant." in html
    html = client.get("/lookup/", {"zip": "94601", "format": "html"}).content.decode()
    assert "Your representative is one of these" in html
    assert "This House seat is vacant." in html


def test_point(client):
    delegation("WY", 0)
    data = client.get("/lookup/", {"lat": "41.14", "lon": "-104.82"}).json()
    assert data["status"] == "ok"
    assert data["approximate"] is True


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"zip": "ABCDE"}, "zip"),
        ({}, "zip"),
        ({"street": "1 Main St"}, "zip"),
        ({"street": "1 Main St", "zip": "05401", "state": "ZZ"}, "state"),
        ({"lat": "north", "lon": "-70"}, "lat"),
        ({"lat": "40", "lon": "1e999"}, "lon"),
        ({"address": "%%%"}, "address"),
        ({"zip": "0" * 10000}, "zip"),
    ],
)
def test_bad_input_is_a_400_per_field(client, params, field):
    response = client.get("/lookup/", params)
    assert response.status_code == 400
    data = response.json()
    assert data["status"] == "error"
    assert field in data["errors"]
    html = client.get("/lookup/", {**params, "format": "html"})
    assert html.status_code == 400
    assert f'data-field="{field}"' in html.content.decode()


def test_only_get(client):
    assert client.post("/lookup/", {"zip": "05401"}).status_code == 405
