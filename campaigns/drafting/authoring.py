"""The organizer's workflow as plain functions: release → draft → live → closed."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from campaigns.drafting import extract, fetch
from campaigns.drafting.draft import draft_campaign
from campaigns.models import Campaign
from committees.matching import target_named_committees
from webhooks import events as webhook_events

# How the drafted target chambers map onto a campaign's target setting.
TARGETS_BY_CHAMBERS = {
    frozenset({"senate", "house"}): Campaign.Targets.CONGRESS,
    frozenset({"senate"}): Campaign.Targets.SENATE,
    frozenset({"house"}): Campaign.Targets.HOUSE,
    frozenset(): Campaign.Targets.CUSTOM,
}


def unique_slug(title, *, exclude_id=None):
    base = slugify(title)[:70].strip("-") or "campaign"
    taken = set(
        Campaign.objects.filter(slug__startswith=base)
        .exclude(id=exclude_id)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def read_release(*, text="", url=""):
    """The release text: as pasted, or fetched from its URL.

    Raises fetch.ReleaseFetchError with a message for the organizer.
    """
    return text.strip() if text.strip() else fetch.fetch_release_text(url)


def create_draft(*, text, url="", owner=None):
    """A draft campaign drafted from the release, for the organizer to edit."""
    facts = extract.extract(text)
    draft = draft_campaign(facts, text)
    campaign = Campaign(
        slug=unique_slug(draft.title),
        owner=owner,
        organization=facts.organization,
        title=draft.title,
        summary=draft.summary,
        call_to_action=draft.call_to_action,
        release_text=text,
        release_url=url,
        release_facts={**facts.as_dict(), "notes": list(draft.notes)},
        targets=TARGETS_BY_CHAMBERS[frozenset(draft.targets.chambers)],
        letter_subject=draft.letter_subject,
        letter_body=draft.letter_body,
        bills=list(facts.bills),
        share_text=draft.title,
    )
    campaign.full_clean()
    campaign.save()
    target_named_committees(campaign)
    return campaign


def publish(campaign):
    campaign.status = Campaign.Status.LIVE
    campaign.published_at = campaign.published_at or timezone.now()
    campaign.closed_at = None
    campaign.save(update_fields=["status", "published_at", "closed_at", "updated_at"])
    webhook_events.campaign_published(campaign)


def close(campaign):
    campaign.status = Campaign.Status.CLOSED
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["status", "closed_at", "updated_at"])


reopen = publish


@transaction.atomic
def clone(campaign, *, owner):
    """A new draft with the same release, letter and targets."""
    members = list(campaign.target_members.all())
    custom_targets = list(campaign.custom_targets.all())
    copy = Campaign.objects.get(pk=campaign.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.uuid = Campaign._meta.get_field("uuid").default()
    copy.title = f"Copy of {campaign.title}"[:120]
    copy.slug = unique_slug(copy.title)
    copy.status = Campaign.Status.DRAFT
    copy.owner = owner
    copy.published_at = copy.closed_at = None
    copy.created_at = timezone.now()
    copy.save()
    copy.target_members.set(members)
    for target in custom_targets:
        target.pk = None
        target.campaign = copy
        target.save()
    return copy
