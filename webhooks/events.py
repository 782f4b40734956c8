"""Recording events for the webhooks that want them.

Each event becomes one Delivery per subscribed webhook, written in the
caller's transaction (so an event is never lost, nor announced for a
rollback) and queued once it commits. An event's id is derived from what
happened, so recording the same thing twice makes no second delivery.
"""

import json
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from api.serialize import letter_json, may_see_supporters, submission_json
from campaigns.models import Letter
from webhooks.models import Delivery, Event, Webhook
from webhooks.tasks import deliver_webhook

NAMESPACE = uuid.UUID("1b1c8f0e-52a4-4c47-9d59-7d1b2f3e6a10")


def subscribers(event, organizer):
    """Active webhooks that want `event`: staff's, and those of the
    campaign's organizer, which `organizer` finds (a Q on the owner)."""
    hooks = Webhook.objects.filter(active=True).filter(organizer | Q(owner__is_staff=True))
    return [hook for hook in hooks.select_related("owner").distinct() if event in hook.events]


def emit(event, campaign, key, data_for, hooks=None):
    """Record `event` about `campaign` for each subscriber; `key` names what
    happened (for the event id), `data_for(personal)` builds its data."""
    if hooks is None:
        hooks = subscribers(event, Q(owner_id=campaign.owner_id))
    if not hooks:
        return []
    event_id = uuid.uuid5(NAMESPACE, f"{event}:{key}")
    made = []
    for hook in hooks:
        envelope = {
            "id": event_id,
            "type": event,
            "created_at": timezone.now(),
            "campaign": {"uuid": campaign.uuid, "slug": campaign.slug, "title": campaign.title},
            "data": data_for(may_see_supporters(hook.owner)),
        }
        made.append(
            Delivery(webhook=hook, event_id=event_id, event=event, payload=_plain(envelope))
        )
    # Someone recorded this event already: theirs is the delivery.
    Delivery.objects.bulk_create(made, ignore_conflicts=True)
    ids = list(
        Delivery.objects.filter(
            event_id=event_id, webhook__in=hooks, status=Delivery.Status.PENDING, attempts=0
        ).values_list("id", flat=True)
    )
    for delivery_id in ids:
        deliver_webhook.delay_on_commit(delivery_id)
    return ids


def _plain(data):
    """UUIDs and times as JSON strings, as they will be sent."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def submission_created(submission, letters, hooks=None):
    """hooks: the subscribers, when the caller asked already (see
    submission_subscribers); None asks here."""
    emit(
        Event.SUBMISSION_CREATED,
        submission.campaign,
        submission.uuid,
        lambda personal: submission_json(submission, len(letters), personal),
        hooks=hooks,
    )


def submission_subscribers(campaigns):
    """{campaign id: the webhooks that want its new submissions}, for several
    campaigns in one query (a batch of acceptances asks once, not once each)."""
    hooks = subscribers(
        Event.SUBMISSION_CREATED, Q(owner_id__in={campaign.owner_id for campaign in campaigns})
    )
    return {
        campaign.id: [
            hook for hook in hooks if hook.owner.is_staff or hook.owner_id == campaign.owner_id
        ]
        for campaign in campaigns
    }


FINISHED = {
    Letter.Status.DELIVERED: Event.LETTER_DELIVERED,
    Letter.Status.FAILED: Event.LETTER_FAILED,
    # Not delivered either; the payload's status says it was the gateway's refusal.
    Letter.Status.REJECTED: Event.LETTER_FAILED,
}


def letter_finished(letter_id, status):
    """After a delivery attempt: announce a letter that was delivered or failed for good."""
    if status not in FINISHED:
        return
    # One query when nobody listens: this runs for every letter sent.
    hooks = subscribers(FINISHED[status], Q(owner__campaigns__letters=letter_id))
    if not hooks:
        return
    letter = Letter.objects.select_related(
        "campaign", "submission", "legislator", "custom_target"
    ).get(id=letter_id)
    emit(
        FINISHED[status],
        letter.campaign,
        letter.uuid,
        lambda personal: letter_json(letter, personal),
        hooks=hooks,
    )


def letters_finished(statuses):
    """letter_finished for each letter of a batch ({letter id: status}),
    with a single query for the whole batch when no webhook is active."""
    if not Webhook.objects.filter(active=True).exists():
        return
    for letter_id, status in statuses.items():
        letter_finished(letter_id, status)


def campaign_published(campaign):
    emit(
        Event.CAMPAIGN_PUBLISHED,
        campaign,
        f"{campaign.uuid}:{campaign.published_at.isoformat()}",
        lambda personal: {
            "published_at": campaign.published_at,
            "url": settings.SITE_URL + campaign.get_absolute_url(),
        },
    )
