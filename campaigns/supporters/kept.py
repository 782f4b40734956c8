"""The campaigns as supporters' pages read them, kept in each process.

Every supporter's request reads its campaign, a wide row through the ORM,
and a send the campaign's verified custom targets too: together about a
quarter of a send's time in the request. They change rarely. Every change
of a campaign, its translations or its custom targets sets a new version in
the shared cache; each process keeps what it read under the version it read
it at (config.versions), the targets with the campaign, so a request asks
the cache one question instead of the database two, and sees a change as
soon as it is made. The kept page (page.py) is checked against the same
version.
"""

import copy

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campaigns import translations
from campaigns.models import Campaign, CampaignTranslation, CustomTarget
from config import versions

VERSION = "campaign-pages:version"
# A campaign in each of two languages, for the few hundred campaigns a site
# runs at most.
_kept = versions.Kept(VERSION, size=1024)


@receiver([post_save, post_delete], sender=Campaign)
@receiver([post_save, post_delete], sender=CampaignTranslation)
@receiver([post_save, post_delete], sender=CustomTarget)
def _campaign_changed(**kwargs):
    # At once, so that reads in this transaction see the change, and again
    # once it commits: another process may have kept the row as it was
    # before the commit under the first new version.
    changed()
    transaction.on_commit(changed)


def changed():
    versions.change(VERSION)


def version():
    """The campaigns' version; None while the cache is unreachable."""
    return versions.current(VERSION)


def public_campaign(slug, language):
    """The campaign of this slug that is not a draft, its texts in
    `language` where the organizer gave them. Raises Campaign.DoesNotExist."""

    def read():
        found = Campaign.objects.exclude(status=Campaign.Status.DRAFT).get(slug=slug)
        shown = translations.in_language(found, language)
        # Read with the campaign, under its version: a send needs both, and
        # one question to the cache then answers for both.
        shown.verified_targets = list(found.custom_targets.verified())
        return shown

    return _kept.get((slug, language), read)


def verified_targets(campaign):
    """The campaign's custom targets that may receive letters
    (campaigns.targets): as read with it, or now for a campaign read
    elsewhere."""
    read_with_it = getattr(campaign, "verified_targets", None)
    if read_with_it is None:
        return list(campaign.custom_targets.verified())
    return [copy.copy(target) for target in read_with_it]
