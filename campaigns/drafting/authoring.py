"""The organizer's workflow as plain functions: release → draft → live → closed."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from campaigns import targets
from campaigns.drafting import extract, fetch
from campaigns.drafting.draft import draft_campaign
from campaigns.models import Campaign, ReleaseImport
from committees.matching import target_named_committees
from webhooks import events as webhook_events

# How the drafted target chambers map onto a campaign's target setting.
TARGETS_BY_CHAMBERS = {
    frozenset({"senate", "house"}): Campaign.Targets.CONGRESS,
    frozenset({"senate"}): Campaign.Targets.SENATE,
    frozenset({"house"}): Campaign.Targets.HOUSE,
    frozenset(): Campaign.Targets.CUSTOM,
}


SLUG_LENGTH = 70  # leaves room in the 80-character column for a random "-1a2b3c" suffix


def slug_base(title):
    """The title as a slug, cut at a word boundary: never "…-displa"."""
    slug = slugify(title)
    if len(slug) > SLUG_LENGTH:
        cut = slug[: SLUG_LENGTH + 1].rsplit("-", 1)[0]
        # One endless word has no boundary to cut at.
        slug = cut if "-" in slug[: SLUG_LENGTH + 1] else slug[:SLUG_LENGTH]
    return slug.strip("-") or "campaign"


def unique_slug(title, *, exclude_id=None):
    """The title as an address, with a random suffix when it is taken: a
    count (-2, -3) would tell how many other campaigns, drafts included,
    share the title."""
    base = slug_base(title)
    taken = set(
        Campaign.objects.filter(slug__startswith=base)
        .exclude(id=exclude_id)
        .values_list("slug", flat=True)
    )
    slug = base
    while slug in taken:
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug


def start_import(*, url, owner):
    """A ReleaseImport for a worker to fetch; the caller enqueues it."""
    return ReleaseImport.objects.create(url=url, organizer=owner)


def import_release(import_id):
    """Fetch a ReleaseImport's page and draft a campaign from it, recording
    the draft or the reason it failed. Runs in a worker: a slow or hostile
    page holds a worker slot until the fetch's deadline, never a web request."""
    release_import = ReleaseImport.objects.get(pk=import_id)
    if release_import.status != ReleaseImport.Status.FETCHING:
        return release_import  # a redelivered task: done already
    try:
        text = fetch.fetch_release_text(release_import.url)
    except fetch.ReleaseFetchError as error:
        release_import.status = ReleaseImport.Status.FAILED
        release_import.error = error.message
    else:
        release_import.text = text
        release_import.campaign = create_draft(
            text=text, url=release_import.url, owner=release_import.organizer
        )
        release_import.status = ReleaseImport.Status.DRAFTED
    release_import.finished_at = timezone.now()
    release_import.save()
    return release_import


class UnknownAsk(ValueError):
    """The organizer chose an ask that is not one of the release's candidates."""


def create_draft(*, text, url="", owner=None):
    """A draft campaign drafted from the release, for the organizer to edit."""
    campaign = Campaign(owner=owner, release_text=text, release_url=url)
    _apply_draft(campaign, extract.extract(text, url=url))
    campaign.slug = unique_slug(campaign.title)
    campaign.full_clean()
    campaign.save()
    target_named_committees(campaign)
    return campaign


def choose_ask(campaign, sentence):
    """Draft again around another of the candidate asks: the title, summary, call to
    action, targets and letter are replaced; the organizer's other settings stay."""
    candidates = [c["sentence"] for c in (campaign.release_facts or {}).get("candidate_asks", [])]
    if sentence not in candidates:
        raise UnknownAsk("That sentence is not one of the candidate asks of this release.")
    facts = extract.extract(campaign.release_text, url=campaign.release_url, ask=sentence)
    _apply_draft(campaign, facts)
    campaign.full_clean()
    campaign.save()
    return campaign


def _apply_draft(campaign, facts):
    draft = draft_campaign(facts, campaign.release_text)
    campaign.organization = facts.organization
    campaign.title = draft.title
    campaign.summary = draft.summary
    campaign.call_to_action = draft.call_to_action
    campaign.release_facts = {**facts.as_dict(), "notes": list(draft.notes)}
    campaign.targets = TARGETS_BY_CHAMBERS[frozenset(draft.targets.chambers)]
    campaign.letter_subject = draft.letter_subject
    campaign.letter_body = draft.letter_body
    campaign.bills = list(facts.bills)
    campaign.share_text = draft.title
    campaign.organization_statement = draft.organization_statement
    if facts.topic:  # else the model's default stays, and a note asks the organizer to choose
        campaign.topic = facts.topic


def publish(campaign):
    """Live, unless a custom target is unverified (targets.UnverifiedTargets)."""
    targets.check_publishable(campaign)
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
    """A new draft with the same release, letter, translation and targets."""
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
    for translation in campaign.translations.all():
        translation.pk = None
        translation.campaign = copy
        translation.save()
    for target in custom_targets:
        # The address agreed to letters from that campaign, not from its copies.
        target.pk = None
        target.campaign = copy
        target.verified_at = target.verified_by = None
        target.save()
    return copy
