"""Which channels reach an office: DELIVERY_CHANNELS read through the directory."""

import pytest

from campaigns.models import Letter
from offices.models import Office
from offices.routes import route
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def production_channels(settings):
    settings.DELIVERY_CHANNELS = ["cwc", "email"]
    settings.DELIVERY_OFFICE_EMAILS = {}


def senator(**office):
    member = factories.legislator("NV", senate_class=3)
    Office.objects.filter(legislator=member).update(**office)
    member.refresh_from_db()
    return member


def test_an_enrolled_office_is_reached_by_cwc():
    assert route(Letter(legislator=senator())).channels == ("cwc",)


def test_an_office_off_cwc_with_an_email_override_is_reached_by_email():
    member = senator(enrolled=False, email="letters@nv.example.gov")
    assert route(Letter(legislator=member)).channels == ("email",)


def test_an_enrolled_office_with_an_email_override_has_both_in_the_configured_order(settings):
    member = senator(email="letters@nv.example.gov")
    assert route(Letter(legislator=member)).channels == ("cwc", "email")
    settings.DELIVERY_CHANNELS = ["email", "cwc"]
    assert route(Letter(legislator=member)).channels == ("email", "cwc")


def test_the_setting_still_gives_an_address(settings):
    member = senator(enrolled=False)
    settings.DELIVERY_OFFICE_EMAILS = {member.bioguide_id: "front@nv.example.gov"}
    assert route(Letter(legislator=member)).channels == ("email",)


def test_an_office_off_cwc_without_an_address_has_no_route():
    found = route(Letter(legislator=senator(enrolled=False)))
    assert not found and found.channels == ()
    assert found.reason == (
        "No delivery channel reaches this office (cwc, email): CWC's office list does not "
        "include it, and it has no email address."
    )


def test_staff_can_mark_an_office_no_route_whatever_else_is_known():
    member = senator(no_route=True, email="letters@nv.example.gov", note="Asked us to stop")
    found = route(Letter(legislator=member))
    assert found.channels == ()
    assert (
        found.reason == "Staff marked this office as taking no electronic letters: Asked us to stop"
    )


def test_an_office_missing_from_the_directory_has_no_route():
    member = factories.legislator("NV", 1)
    Office.objects.filter(legislator=member).delete()
    member.refresh_from_db()
    found = route(Letter(legislator=member))
    assert found.channels == ()
    assert "not in the office directory (import_offices has not listed it)" in found.reason


def test_the_outbox_stands_in_for_the_channels_it_imitates(settings):
    settings.DELIVERY_CHANNELS = ["outbox"]
    assert route(Letter(legislator=senator())).channels == ("outbox",)
    assert route(Letter(legislator=senator(enrolled=False))).channels == ()


def test_a_custom_target_is_reached_by_email_only():
    campaign = factories.campaign()
    target = factories.custom_target(campaign)
    assert route(Letter(custom_target=target)).channels == ("email",)
