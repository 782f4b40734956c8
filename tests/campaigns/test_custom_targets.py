"""Custom email targets get no letter, and block publishing, until verified:
by the link emailed to the address, or by staff in the admin."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from campaigns import targets
from campaigns.drafting import authoring
from campaigns.models import Campaign, CustomTarget, Letter
from campaigns.permissions import ORGANIZERS_GROUP
from tests import factories
from tests.campaigns.conftest import edit_form_data, letter_form, look_up, tasks_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def olivia(client):
    user = User.objects.create_user("olivia")
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    client.force_login(user)
    return user


@pytest.fixture
def draft_campaign(olivia):
    return factories.campaign(
        slug="governor", title="Write to the governor", owner=olivia, status=Campaign.Status.DRAFT
    )


def add_target(client, campaign, callbacks, **target):
    page = client.get(f"/organize/{campaign.slug}/")
    data = edit_form_data(page)
    data.pop("target_members", None)
    data.update({"targets-TOTAL_FORMS": "1", "targets-INITIAL_FORMS": "0"})
    data.update({f"targets-0-{name}": value for name, value in target.items()})
    with callbacks() as queued:
        response = client.post(f"/organize/{campaign.slug}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert tasks_queued(queued) == ["campaigns.tasks.ask_target_to_confirm"]
    added = CustomTarget.objects.get(campaign=campaign, email=target["email"])
    targets.ask_to_confirm(added.pk)  # what the task does
    return added


def link_in(message):
    return re.search(r"http://\S+(/targets/confirm/\S+/)", message.body).group(1)


GOVERNOR = {"name": "Governor", "salutation": "Governor Scott", "email": "gov@state.test"}


def test_a_new_target_is_asked_to_confirm_and_blocks_publishing_until_it_does(
    client, draft_campaign, django_capture_on_commit_callbacks
):
    target = add_target(client, draft_campaign, django_capture_on_commit_callbacks, **GOVERNOR)
    assert not target.is_verified
    [message] = mail.outbox
    assert message.to == ["gov@state.test"]
    assert "street address, ZIP code and email address" in message.body

    response = client.post(f"/organize/{draft_campaign.slug}/publish/", follow=True)
    assert "Not published: Governor (gov@state.test) has not confirmed" in (
        response.content.decode()
    )
    draft_campaign.refresh_from_db()
    assert draft_campaign.status == Campaign.Status.DRAFT

    link = link_in(message)
    page = client.get(link)
    assert "Receive letters at gov@state.test?" in page.content.decode()
    target.refresh_from_db()
    assert not target.is_verified  # a mail scanner's GET verifies nothing
    assert client.post(link).status_code == 302
    target.refresh_from_db()
    assert target.is_verified and target.verified_by is None

    client.post(f"/organize/{draft_campaign.slug}/publish/")
    draft_campaign.refresh_from_db()
    assert draft_campaign.status == Campaign.Status.LIVE


def test_publishing_names_every_unverified_target(draft_campaign):
    factories.custom_target(draft_campaign, name="B office", email="b@b.test", verified_at=None)
    factories.custom_target(draft_campaign, name="A office", email="a@a.test", verified_at=None)
    factories.custom_target(draft_campaign, name="C office", email="c@c.test")
    with pytest.raises(targets.UnverifiedTargets) as refused:
        authoring.publish(draft_campaign)
    assert [t.name for t in refused.value.targets] == ["A office", "B office"]
    assert "A office (a@a.test), B office (b@b.test) have not confirmed" in str(refused.value)


def test_no_letter_goes_to_an_unverified_target(visitor, campaign, vermont):
    target = factories.custom_target(campaign, email="me@organizer.test", verified_at=None)
    look_up(visitor, campaign)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Governor Abbott" not in page
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    assert Letter.objects.count() == 3
    assert not Letter.objects.filter(custom_target=target).exists()


def test_supporters_see_the_domain_their_letter_is_emailed_to(visitor, campaign, vermont):
    factories.custom_target(campaign, email="Letters@Governor.VT.test")
    look_up(visitor, campaign)
    page = visitor.get(campaign.get_absolute_url()).content.decode()
    assert "Governor Abbott (by email to governor.vt.test)" in page
    response = visitor.post(
        f"/c/{campaign.slug}/send/", letter_form(visitor, campaign), follow=True
    )
    assert "(by email to governor.vt.test)" in response.content.decode()


def test_a_changed_address_must_confirm_again_and_the_old_link_stops_working(
    client, draft_campaign
):
    target = factories.custom_target(draft_campaign, email="old@state.test")
    old_link = f"/targets/confirm/{targets.confirmation_token(target)}/"
    target.email = "new@elsewhere.test"
    target.save()
    target.refresh_from_db()
    assert not target.is_verified
    assert client.post(old_link).status_code == 400
    target.refresh_from_db()
    assert not target.is_verified


def test_forged_and_expired_links_are_refused(client, draft_campaign, monkeypatch):
    target = factories.custom_target(draft_campaign, verified_at=None)
    assert client.post("/targets/confirm/not-a-token/").status_code == 400
    monkeypatch.setattr(targets, "LINK_MAX_AGE", -1)
    assert client.post(f"/targets/confirm/{targets.confirmation_token(target)}/").status_code == 400
    target.refresh_from_db()
    assert not target.is_verified


def test_staff_can_approve_an_address_in_the_admin(client, draft_campaign):
    target = factories.custom_target(draft_campaign, verified_at=None)
    staff = User.objects.create_superuser("root")
    client.force_login(staff)
    response = client.post(
        "/admin/campaigns/customtarget/",
        {"action": "approve", "_selected_action": [target.pk]},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_verified and target.verified_by == staff


def test_a_clone_asks_its_targets_again(client, draft_campaign, django_capture_on_commit_callbacks):
    factories.custom_target(draft_campaign, email="gov@state.test")
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(f"/organize/{draft_campaign.slug}/clone/")
    copy = Campaign.objects.get(slug=response["Location"].split("/")[2])
    assert not copy.custom_targets.get().is_verified
    assert tasks_queued(queued) == ["campaigns.tasks.ask_target_to_confirm"]


def test_the_supporters_email_names_the_domain_too(visitor, campaign, vermont):
    from campaigns.emails import send_confirmation
    from campaigns.models import Submission

    factories.custom_target(campaign, email="letters@governor.vt.test")
    look_up(visitor, campaign)
    visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    send_confirmation(Submission.objects.get().pk)
    assert "Governor Abbott (by email to governor.vt.test)" in mail.outbox[-1].body
