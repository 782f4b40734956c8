"""A campaign that writes to a committee: the supporter's members on it get
letters; a supporter with none on it is told who is, and may write anyway."""

import pytest

from campaigns.models import Campaign, Letter
from committees.choosing import add_committee, set_write_anyway
from committees.models import Committee, Membership
from committees.targeting import committee_notice, committee_recipients
from legislators.models import Chamber
from tests.campaigns.conftest import letter_form, look_up, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("offline_lookup")]


def committee(code, name, chamber="senate", *members, parent=None):
    made = Committee.objects.create(code=code, name=name, chamber=chamber, parent=parent)
    for rank, legislator in enumerate(members, start=1):
        Membership.objects.create(committee=made, legislator=legislator, side="majority", rank=rank)
    return made


@pytest.fixture
def energy(vermont):
    sanders = vermont[0]
    other = member("O000001", "Olive", "Other", Chamber.SENATE, "ME", senate_class=1)
    return committee("SSEG", "Senate Committee on Energy and Natural Resources", "senate",
                     sanders, other)  # fmt: skip


@pytest.fixture
def judiciary(vermont):
    """A House committee with no one from Vermont's seat but one from Maine."""
    mainer = member("M000001", "Mae", "Mainer", Chamber.HOUSE, "ME", district=1)
    return committee("HSJU", "House Committee on the Judiciary", "house", mainer)


def test_only_members_on_the_committee_get_letters(campaign, vermont, energy):
    add_committee(campaign, energy)
    campaign.refresh_from_db()
    assert campaign.targets == Campaign.Targets.COMMITTEE
    assert committee_recipients(campaign, vermont) == [vermont[0]]
    notice = committee_notice(campaign, vermont)
    assert not notice.none_seated
    assert [(m.last_name, [c.code for c in cs]) for m, cs in notice.reasons] == [
        ("Sanders", ["SSEG"]),
        ("Welch", []),
        ("Balint", []),
    ]


def test_a_subcommittee_counts_on_its_own(campaign, vermont, energy):
    sub = committee("SSEG01", "Water and Power", "senate", vermont[1], parent=energy)
    add_committee(campaign, sub)
    assert sub.full_name == (
        "Senate Committee on Energy and Natural Resources: Subcommittee on Water and Power"
    )
    assert committee_recipients(campaign, vermont) == [vermont[1]]


def test_a_dissolved_committee_writes_to_no_one(campaign, vermont, energy):
    add_committee(campaign, energy)
    Committee.objects.filter(code="SSEG").update(current=False)
    assert committee_recipients(campaign, vermont) == []


def test_no_member_on_it_is_told_who_is_and_cannot_write_by_default(
    visitor, campaign, vermont, judiciary
):
    add_committee(campaign, judiciary)
    look_up(visitor, campaign)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "None of your members of Congress sits on it." in page
    assert "no letter to send from your address" in page
    assert "Write to my own members anyway" not in page
    assert 'name="body"' not in page
    # Asking anyway changes nothing when the organizer does not allow it.
    visitor.post(f"/c/{campaign.slug}/write-anyway/")
    assert 'name="body"' not in visitor.get(campaign.get_absolute_url()).content.decode()


def test_writing_anyway_when_the_organizer_allows_it(visitor, campaign, vermont, judiciary):
    vermonter = member("V000009", "Val", "Vermonter", Chamber.HOUSE, "VT", district=0)
    vermonter.in_office = False  # left Congress: not "from your state" any more
    vermonter.save()
    Membership.objects.create(committee=judiciary, legislator=vermonter)
    add_committee(campaign, judiciary)
    set_write_anyway(campaign, True)
    look_up(visitor, campaign)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "None of your members of Congress sits on it." in page
    assert "Vermonter" not in page
    assert 'name="body"' not in page
    response = visitor.post(f"/c/{campaign.slug}/write-anyway/")
    assert response.status_code == 302
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "You are writing to your own members anyway." in page
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    assert set(Letter.objects.values_list("legislator__last_name", flat=True)) == {
        "Sanders", "Welch", "Balint",
    }  # fmt: skip


def test_who_sits_on_it_from_the_supporters_state(visitor, campaign, vermont, judiciary):
    neighbour = member("V000010", "Vic", "Neighbour", Chamber.HOUSE, "VT", district=2)
    Membership.objects.create(committee=judiciary, legislator=neighbour)
    add_committee(campaign, judiciary)
    look_up(visitor, campaign)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "From your state, Representative Vic Neighbour does." in page


def test_sending_writes_only_to_the_members_on_it(visitor, campaign, vermont, energy):
    add_committee(campaign, energy)
    look_up(visitor, campaign)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Senator Sanders: sits on the Senate Committee on Energy and Natural Resources" in page
    assert "Senator Welch: not on it, so no letter" in page
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    assert list(Letter.objects.values_list("salutation", flat=True)) == ["Senator Sanders"]


def test_a_new_address_forgets_writing_anyway(visitor, campaign, vermont, judiciary):
    add_committee(campaign, judiciary)
    set_write_anyway(campaign, True)
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/write-anyway/")
    look_up(visitor, campaign)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Write to my own members anyway" in page
