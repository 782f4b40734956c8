"""Staff set an office's override in the admin; the list-backed fields are the importer's."""

import pytest
from django.contrib.auth.models import User

from offices.models import Office
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-for-tests"))
    return client


def change(admin_client, office, **fields):
    data = {
        "legislator": office.legislator_id,
        "chamber": office.chamber,
        "email": "",
        "note": "",
        **fields,
    }
    return admin_client.post(f"/admin/offices/office/{office.pk}/change/", data)


def test_staff_give_an_office_an_email_address(admin_client):
    office = factories.legislator("NV", 1).office
    response = change(admin_client, office, email="letters@nv.example.gov", enrolled="")
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.email == "letters@nv.example.gov"
    assert office.enrolled and office.cwc_code == "HNV01"  # read-only: the list's


def test_an_address_and_no_route_together_are_refused_with_a_reason(admin_client):
    office = factories.legislator("NV", 1).office
    response = change(admin_client, office, email="letters@nv.example.gov", no_route="on")
    assert response.status_code == 200
    assert "Choose one override: an email address, or no route, not both." in (
        response.content.decode()
    )
    office.refresh_from_db()
    assert not office.no_route and office.email == ""


def test_the_directory_lists_offices(admin_client):
    factories.legislator("NV", 1)
    page = admin_client.get("/admin/offices/office/?enrolled__exact=1").content.decode()
    assert "HNV01" in page
    assert Office.objects.count() == 1
