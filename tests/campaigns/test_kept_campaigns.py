"""Campaigns as supporters' pages read them, kept in each process under the
campaigns' version: read once, a change seen at once."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache

from campaigns import targets
from campaigns.models import Campaign, CampaignTranslation
from campaigns.supporters import kept
from config import versions
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_campaign_is_read_once_and_a_change_is_seen_at_once(campaign, django_assert_num_queries):
    assert kept.public_campaign(campaign.slug, "en").title == "Shelter now"
    with django_assert_num_queries(0):
        again = kept.public_campaign(campaign.slug, "en")
    again.title = "Changed by one request"
    assert kept.public_campaign(campaign.slug, "en").title == "Shelter now"

    campaign.title = "Shelter for all"
    campaign.save()
    assert kept.public_campaign(campaign.slug, "en").title == "Shelter for all"
    campaign.status = Campaign.Status.DRAFT
    campaign.save()
    with pytest.raises(Campaign.DoesNotExist):
        kept.public_campaign(campaign.slug, "en")


def test_a_translation_and_a_verified_target_are_seen_at_once(campaign):
    assert kept.public_campaign(campaign.slug, "es").title == "Shelter now"
    CampaignTranslation.objects.create(campaign=campaign, language="es", title="Refugio ya")
    assert kept.public_campaign(campaign.slug, "es").title == "Refugio ya"

    target = factories.custom_target(campaign, verified_at=None)
    assert kept.verified_targets(campaign) == []
    targets.verify(target)
    assert kept.verified_targets(campaign) == [target]


def test_read_afresh_while_the_cache_cannot_say_which_version(campaign, monkeypatch):
    kept.public_campaign(campaign.slug, "en")
    monkeypatch.setattr(versions, "current", lambda name: None)
    # A change whose new version the cache could not take: read from the row.
    Campaign.objects.filter(pk=campaign.pk).update(title="Shelter for all")
    assert kept.public_campaign(campaign.slug, "en").title == "Shelter for all"


def test_a_cache_emptied_by_a_restart_never_brings_back_an_old_version():
    first = kept.version()
    cache.clear()
    assert kept.version() not in (None, first)


def test_every_process_sets_a_new_version_when_a_campaign_changes():
    """Not only a web process, which imports kept.py with its views: a
    command or a worker that publishes or edits a campaign must too."""
    code = (
        "import sys, django; django.setup(); "
        "from django.db.models.signals import post_save; "
        "from campaigns.models import Campaign; "
        "print(any(getattr(receiver(), '__module__', '') == 'campaigns.supporters.kept' "
        "for receiver in [r[1] for r in post_save.receivers]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "True", result.stderr
