"""Errors in view: every step that fails shows a summary at the top of its
form, each error linked to its field, and the form's action anchors the
page there when scripts are off."""

import re

import pytest

from tests.campaigns.conftest import letter_form, look_up

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


def summary_of(page):
    match = re.search(r'<div[^>]*id="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(1)


def test_an_empty_form_lists_every_missing_field_with_a_link(visitor, campaign, vermont):
    response = visitor.post(campaign.get_absolute_url(), {})
    page = response.content.decode()
    summary = summary_of(page)
    for field in ("first_name", "last_name", "email", "street", "city", "state", "zip_code"):
        assert f'href="#id_{field}"' in summary
    # The summary comes before the first field, so it is what the anchor shows first.
    assert page.index('id="error-summary"') < page.index('id="id_first_name"')
    assert 'action="/c/shelter-now/#error-summary"' in page


def test_a_first_visit_has_no_summary(visitor, campaign):
    assert 'id="error-summary"' not in visitor.get(campaign.get_absolute_url()).content.decode()


def test_a_lookup_that_finds_no_one_says_why_in_the_summary(visitor, campaign, vermont):
    page = look_up(visitor, campaign, state="NH", zip_code="03999").content.decode()
    assert "couldn&#x27;t find ZIP code 03999" in summary_of(page)


def test_an_emptied_letter_is_linked_from_the_summary(visitor, campaign, vermont):
    look_up(visitor, campaign)
    form = letter_form(visitor, campaign) | {"body": "Dear Senator,"}
    response = visitor.post(f"/c/{campaign.slug}/send/", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_body">Your letter: Your letter is empty or nearly so.' in summary_of(page)
    assert 'action="/c/shelter-now/send/#error-summary"' in page


@pytest.mark.parametrize("zip_code", ["00000", "99999"])
def test_a_zip_that_does_not_exist_is_refused_even_in_an_at_large_state(
    visitor, campaign, vermont, zip_code
):
    response = look_up(visitor, campaign, state="VT", zip_code=zip_code)
    assert response.status_code == 200
    assert f"couldn&#x27;t find ZIP code {zip_code}" in summary_of(response.content.decode())
    assert "Your letter" not in visitor.get(campaign.get_absolute_url()).content.decode()
