import pytest
from django.contrib.auth.models import Group, User

from campaigns.letters import PERSONAL_PLACEHOLDER
from campaigns.models import Campaign
from campaigns.permissions import ORGANIZERS_GROUP

pytestmark = pytest.mark.django_db

RELEASE = """Harbor Alliance Urges Congress to Pass the Clean Harbors Act

Bill would fund cleanup of 40 polluted ports

PORTLAND, Maine (March 3, 2025) – The Harbor Alliance today urged Congress to pass H.R. 4521, \
the Clean Harbors Act, which would fund the cleanup of 40 polluted ports.

"Our harbors feed our towns. We are calling on Congress to pass the Clean Harbors Act this \
spring," said Dana Reyes, executive director of the Harbor Alliance.

The bill has 52 cosponsors in the House.

###
"""


def organizer(name="olivia"):
    user = User.objects.create_user(name, password="pw-for-tests-only")
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    return user


@pytest.fixture
def olivia(client):
    user = organizer()
    client.force_login(user)
    return user


def draft(client):
    response = client.post("/organize/new/", {"text": RELEASE, "url": ""})
    assert response.status_code == 302, response.content.decode()
    return Campaign.objects.get()


def test_anonymous_is_sent_to_log_in(client):
    response = client.get("/organize/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_user_who_is_not_an_organizer_is_refused(client):
    client.force_login(User.objects.create_user("sam", password="pw-for-tests-only"))
    assert client.get("/organize/new/").status_code == 403


def test_release_becomes_a_draft(client, olivia):
    campaign = draft(client)
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.owner == olivia
    assert campaign.organization == "Harbor Alliance"
    assert campaign.targets == Campaign.Targets.CONGRESS
    assert campaign.bills == ["H.R. 4521"]
    assert campaign.topic == "Water Resources Development"  # read from the release
    assert "{legislator_salutation}" in campaign.letter_body
    page = client.get(f"/organize/{campaign.slug}/").content.decode()
    assert "Dana Reyes" in page  # the facts beside the draft


def test_empty_release_is_refused(client, olivia):
    response = client.post("/organize/new/", {"text": "  ", "url": ""})
    assert "Paste the text of the release or give its web address." in response.content.decode()
    assert not Campaign.objects.exists()


def test_unknown_merge_fields_are_rejected_on_save(client, olivia):
    campaign = draft(client)
    page = client.get(f"/organize/{campaign.slug}/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(letter_body="Dear {legislator_salutation}, I am {firstname}.", targets="congress")
    data.pop("target_members", None)
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert response.status_code == 200
    assert "unknown merge fields {firstname}" in response.content.decode()
    data.update(letter_body="Dear {legislator_salutation}, I am {first_name}.", letter_subject="")
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert "This field is required." in response.content.decode()


def test_a_locked_letter_cannot_keep_the_placeholder_for_the_supporters_sentence(client, olivia):
    campaign = draft(client)
    assert PERSONAL_PLACEHOLDER in campaign.letter_body
    page = client.get(f"/organize/{campaign.slug}/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    data.update(targets="congress")
    data.pop("target_members", None)
    data.pop("letter_editable")  # an unchecked box: supporters may not edit the letter
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert response.status_code == 200
    assert "Supporters cannot edit this letter" in response.content.decode()
    data["letter_body"] = data["letter_body"].replace(PERSONAL_PLACEHOLDER, "")
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert "Supporters cannot edit this letter" not in response.content.decode()


def test_the_draft_page_shows_candidate_asks_with_confidences_and_warnings(client, olivia):
    campaign = draft(client)
    page = client.get(f"/organize/{campaign.slug}/").content.decode()
    candidates = campaign.release_facts["candidate_asks"]
    assert len(candidates) == 3
    for candidate in candidates:
        assert f"{round(candidate['confidence'] * 100)}%" in page
    assert page.count("Use this ask") == 2  # the first is the one in the draft
    assert "more than a year before today" in page  # the release is dated March 3, 2025


def test_the_organizer_can_draft_again_around_another_candidate_ask(client, olivia):
    campaign = draft(client)
    other = campaign.release_facts["candidate_asks"][1]["sentence"]
    response = client.post(f"/organize/{campaign.slug}/ask/", {"sentence": other})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.release_facts["call_to_action"].startswith(other)
    assert campaign.release_facts["candidate_asks"][0]["sentence"] == other
    assert not any("not sure which sentence" in note for note in campaign.release_facts["notes"])
    response = client.post(
        f"/organize/{campaign.slug}/ask/", {"sentence": "Invented."}, follow=True
    )
    assert "not one of the candidate asks" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.release_facts["candidate_asks"][0]["sentence"] == other


def test_publish_close_reopen_clone(client, olivia):
    campaign = draft(client)
    client.post(f"/organize/{campaign.slug}/publish/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE and campaign.published_at
    assert client.get(campaign.get_absolute_url()).status_code == 200

    client.post(f"/organize/{campaign.slug}/close/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED

    client.post(f"/organize/{campaign.slug}/reopen/")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.LIVE

    response = client.post(f"/organize/{campaign.slug}/clone/")
    copy = Campaign.objects.exclude(pk=campaign.pk).get()
    assert response["Location"] == f"/organize/{copy.slug}/"
    assert copy.status == Campaign.Status.DRAFT
    assert copy.letter_body == campaign.letter_body
    assert copy.uuid != campaign.uuid


def test_unknown_action_is_not_found(client, olivia):
    campaign = draft(client)
    assert client.post(f"/organize/{campaign.slug}/explode/").status_code == 404


def test_another_organizer_cannot_see_or_change_it(client, olivia):
    campaign = draft(client)
    client.force_login(organizer("mallory"))
    assert client.get(f"/organize/{campaign.slug}/").status_code == 404
    assert client.post(f"/organize/{campaign.slug}/publish/").status_code == 404
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert "Clean Harbors" not in client.get("/organize/").content.decode()


def test_preview_shows_the_letter_for_a_sample_district(client, olivia):
    from legislators.models import Chamber, Legislator

    Legislator.objects.create(
        bioguide_id="K000001",
        first_name="Kim",
        last_name="Kale",
        chamber=Chamber.HOUSE,
        state="ME",
        district=1,
        in_office=True,
    )
    Legislator.objects.create(
        bioguide_id="K000002",
        first_name="Lee",
        last_name="Lund",
        chamber=Chamber.SENATE,
        state="ME",
        senate_class=1,
        in_office=True,
    )
    campaign = draft(client)
    page = client.get(f"/organize/{campaign.slug}/preview/").content.decode()
    assert "To Representative Kale" in page and "To Senator Lund" in page
    assert "Dear Representative Kale," in page


def edit_data(client, campaign, **changes):
    form = client.get(f"/organize/{campaign.slug}/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.pop("target_members", None)
    data.update(
        {
            "targets-TOTAL_FORMS": "1",
            "targets-INITIAL_FORMS": "0",
            "targets-MIN_NUM_FORMS": "0",
            "targets-MAX_NUM_FORMS": "20",
        }
    )
    data.update(changes)
    return data


def test_organizer_adds_an_office_by_email(client, olivia):
    campaign = draft(client)
    data = edit_data(
        client,
        campaign,
        **{
            "targets-0-name": "Office of the Governor",
            "targets-0-salutation": "Governor Mills",
            "targets-0-email": "governor@maine.example",
        },
    )
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert response.status_code == 302, response.context["targets"].errors
    target = campaign.custom_targets.get()
    assert (target.salutation, target.email) == ("Governor Mills", "governor@maine.example")


def test_a_bad_email_target_is_refused_with_a_message(client, olivia):
    campaign = draft(client)
    data = edit_data(
        client,
        campaign,
        **{"targets-0-name": "Governor", "targets-0-salutation": "Governor Mills",
           "targets-0-email": "not an email"},
    )  # fmt: skip
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert "Enter a valid email address." in response.content.decode()
    assert not campaign.custom_targets.exists()


def test_chosen_members_by_bioguide_id(client, olivia):
    from legislators.models import Chamber, Legislator

    chosen = Legislator.objects.create(
        bioguide_id="K000001", first_name="Kim", last_name="Kale", chamber=Chamber.HOUSE,
        state="ME", district=1,
    )  # fmt: skip
    campaign = draft(client)
    data = edit_data(client, campaign, targets="members", member_ids="k000001, X999999")
    response = client.post(f"/organize/{campaign.slug}/", data)
    assert "No member of Congress in office has the bioguide id X999999." in (
        response.content.decode()
    )
    data["member_ids"] = "k000001"
    assert client.post(f"/organize/{campaign.slug}/", data).status_code == 302
    assert list(campaign.target_members.all()) == [chosen]
