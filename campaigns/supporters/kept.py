"""The campaigns as supporters' pages read them, kept in each process.

Every supporter's request reads its campaign, a wide row through the ORM,
and a send the campaign's verified custom targets too: together about a
quarter of a send's time in the request. They change rarely. Every change
of a campaign, its translations or its custom targets sets a new version in
the shared cache once it commits; each process keeps what it read under the
version it read it at, so a request asks the cache one question instead of
the database two, and sees a change as soon as it is committed.

A version is a random token, never a count: a cache emptied by a restart
must not hand out a version some process already kept campaigns under.
While the cache cannot say which version holds (unreachable), everything is
read from the database. The kept page (page.py) is checked against the same
version.
"""

import copy
import uuid
from collections import OrderedDict

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from campaigns import translations
from campaigns.models import Campaign, CampaignTranslation, CustomTarget

VERSION = "campaign-pages:version"
# The most recently read, per process: a campaign in each of two languages,
# and its verified targets, for the few hundred campaigns a site runs at most.
KEPT = 1024
_kept = OrderedDict()


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
    cache.set(VERSION, uuid.uuid4().hex, timeout=None)


def version():
    """The campaigns' version; None while the cache is unreachable."""
    found = cache.get(VERSION)
    if found is None and cache.add(VERSION, uuid.uuid4().hex, timeout=None):
        found = cache.get(VERSION)
    return found


def public_campaign(slug, language):
    """The campaign of this slug that is not a draft, its texts in
    `language` where the organizer gave them. Raises Campaign.DoesNotExist."""

    def read():
        found = Campaign.objects.exclude(status=Campaign.Status.DRAFT).get(slug=slug)
        return translations.in_language(found, language)

    return copy.copy(_read_through(("campaign", slug, language), read))


def verified_targets(campaign):
    """The campaign's custom targets that may receive letters (campaigns.targets)."""
    targets = _read_through(
        ("targets", campaign.pk), lambda: list(campaign.custom_targets.verified())
    )
    return [copy.copy(target) for target in targets]


def _read_through(key, read):
    current = version()
    if current is None:
        return read()
    key = (current, *key)
    found = _kept.get(key)
    if found is None:
        found = _kept[key] = read()
        if len(_kept) > KEPT:
            _kept.popitem(last=False)
    else:
        _kept.move_to_end(key)
    return found
