"""The people who use the site, and one campaign with a supporter's letters on it."""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.utils import timezone

from campaigns import followups, packets, targets
from campaigns.emails import confirmation_token
from campaigns.models import Campaign, FollowUp, ReleaseImport, Submission
from campaigns.permissions import ORGANIZERS_GROUP
from tests.campaigns.conftest import (  # noqa: F401 (the supporter flow's fixtures, shared)
    BROWSER,
    campaign,
    letter_form,
    look_up,
    offline_lookup,
    vermont,
    visitor,
)

PERSONAS = (
    "anonymous",
    "supporter",  # a browser that sent letters on the campaign; no account
    "user",  # logged in, organizes nothing
    "other_organizer",  # organizes another campaign
    "owner",  # organizes this campaign
    "staff",
    "staff_no_pii",  # staff without campaigns.view_supporter
)


@dataclass
class World:
    campaign: Campaign
    other_campaign: Campaign
    submission: Submission
    supporter: Client
    release_import: ReleaseImport

    @property
    def token(self):
        return confirmation_token(self.submission)

    @property
    def target_token(self):
        target = self.other_campaign.custom_targets.get_or_create(
            name="Mayor", salutation="Mayor Weinberger", email="mayor@city.test"
        )[0]
        return targets.confirmation_token(target)

    @property
    def follow_up_token(self):
        """A link from the "did the office reply?" email about the supporter's first letter."""
        letter = self.submission.letters.order_by("pk").first()
        follow_up = FollowUp.objects.get_or_create(
            letter=letter,
            defaults={
                "campaign": letter.campaign,
                "delivered_at": timezone.now(),
                "asked_at": timezone.now(),
            },
        )[0]
        return followups.answer_token(follow_up, FollowUp.Answer.REPLIED)

    @property
    def packet(self):
        """A hand-delivery packet of the letters to the supporter's first office, built."""
        office = self.submission.letters.order_by("pk").first().legislator
        packet = packets.request_packet(self.campaign, office, None)
        packets.build(packet.pk)
        return packet


def organizer(username):
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    return user


def sent_letters(client, on):
    """Look up ADDRESS and send the proposed letter on campaign `on`; returns the response."""
    look_up(client, on)
    return client.post(f"/c/{on.slug}/send/", letter_form(client, on))


@pytest.fixture
def world(campaign, vermont, offline_lookup, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path  # packets' PDFs
    owner = organizer("owner")
    campaign.owner = owner
    campaign.save()
    other = organizer("other-organizer")
    other_campaign = Campaign.objects.create(
        slug="other-campaign",
        title="Another organizer campaign",
        owner=other,
        letter_subject="Other",
        letter_body="Dear {legislator_salutation}, please act now on this other issue.",
    )
    supporter = Client(headers={"User-Agent": BROWSER})
    sent_letters(supporter, campaign)
    release_import = ReleaseImport.objects.create(organizer=owner, url="https://x.example/r")
    return World(campaign, other_campaign, Submission.objects.get(), supporter, release_import)


def client_for(persona, world):
    if persona == "supporter":
        return world.supporter
    client = Client(headers={"User-Agent": BROWSER})
    users = {
        "user": lambda: User.objects.create_user("someone"),
        "other_organizer": lambda: User.objects.get(username="other-organizer"),
        "owner": lambda: User.objects.get(username="owner"),
        "staff": lambda: staff_user("staff", "view_supporter"),
        "staff_no_pii": lambda: staff_user("staff-no-pii"),
    }
    if persona in users:
        client.force_login(users[persona]())
    return client


def staff_user(username, *codenames):
    user = User.objects.create_user(username, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user
