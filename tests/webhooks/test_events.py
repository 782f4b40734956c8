"""Which events make deliveries, with what data: a supporter's letters,
their delivery or failure, and publication."""

import pytest

from campaigns import tasks
from campaigns.delivery.errors import DeliveryError
from campaigns.models import Letter
from campaigns.supporters import acceptance
from tests import factories
from tests.api.conftest import organizer
from tests.campaigns.conftest import letter_form, look_up
from tests.campaigns.test_postings import posted
from tests.webhooks.conftest import hook_for, tasks_on_commit
from webhooks import events
from webhooks.models import Delivery, Event

pytestmark = pytest.mark.django_db


def payloads(event):
    return [d.payload for d in Delivery.objects.filter(event=event).order_by("id")]


@pytest.mark.usefixtures("offline_lookup")
def test_a_supporters_letters_are_one_submission_event(
    owner, local_webhooks, visitor, campaign, vermont, django_capture_on_commit_callbacks
):
    campaign.owner = owner
    campaign.save()
    hook_for(owner, "http://127.0.0.1:9/unused")
    look_up(visitor, campaign)
    with django_capture_on_commit_callbacks() as queued:
        visitor.post(f"/c/{campaign.slug}/send/", letter_form(visitor, campaign))
    [payload] = payloads(Event.SUBMISSION_CREATED)
    assert payload["data"]["letters"] == 3
    assert payload["data"]["state"] == "VT"
    # No personal data for an organizer without campaigns.view_supporter.
    assert payload["data"]["supporter"] is None
    assert "Maya" not in str(payload)
    assert "webhooks.tasks.deliver_webhook" in tasks_on_commit(queued)


def test_personal_data_for_an_owner_who_may_see_it(local_webhooks):
    trusted = organizer("tess", "view_supporter")
    campaign = factories.campaign(owner=trusted)
    hook_for(trusted, "http://127.0.0.1:9/unused")
    letter = factories.letter(campaign)
    tasks.deliver.apply((letter.id,))
    [payload] = payloads(Event.LETTER_DELIVERED)
    assert payload["data"]["body"] == letter.body
    assert payload["data"]["status"] == "delivered"


def test_a_batch_announces_each_of_its_letters(owner, local_webhooks):
    campaign = factories.campaign(owner=owner)
    hook_for(owner, "http://127.0.0.1:9/unused")
    letters = [factories.letter(campaign) for _ in range(2)]
    tasks.deliver_batch.apply(([letter.id for letter in letters],))
    uuids = [payload["data"]["uuid"] for payload in payloads(Event.LETTER_DELIVERED)]
    assert sorted(uuids) == sorted(str(letter.uuid) for letter in letters)


def test_delivered_and_failed_letters(owner, local_webhooks, monkeypatch):
    campaign = factories.campaign(owner=owner)
    hook_for(owner, "http://127.0.0.1:9/unused")
    delivered = factories.letter(campaign)
    tasks.deliver.apply((delivered.id,))
    [payload] = payloads(Event.LETTER_DELIVERED)
    assert payload["data"]["uuid"] == str(delivered.uuid)
    assert payload["data"]["body"] is None

    def refuse(letter):
        raise DeliveryError("The office's address is unknown.", permanent=True)

    monkeypatch.setattr("campaigns.delivery.sending.send", refuse)
    failed = factories.letter(campaign)
    tasks.deliver.apply((failed.id,))
    [payload] = payloads(Event.LETTER_FAILED)
    assert payload["data"]["failure_reason"] == "The office's address is unknown."
    # A retry of the same letter's outcome makes no second event.
    events.letter_finished(failed.id, Letter.Status.FAILED)
    assert len(payloads(Event.LETTER_FAILED)) == 1


def test_a_rejected_letter_is_announced_as_failed_saying_it_was_rejected(
    owner, local_webhooks, monkeypatch
):
    campaign = factories.campaign(owner=owner)
    hook_for(owner, "http://127.0.0.1:9/unused")

    def reject(letter):
        raise DeliveryError("cwc: CWC rejected it", permanent=True, answer="HTTP 400: no")

    monkeypatch.setattr("campaigns.delivery.sending.send", reject)
    rejected = factories.letter(campaign)
    tasks.deliver.apply((rejected.id,))
    [payload] = payloads(Event.LETTER_FAILED)
    assert (payload["data"]["status"], payload["data"]["status_label"]) == ("rejected", "Rejected")
    assert payload["data"]["gateway_answer"] == "HTTP 400: no"


def test_no_webhook_no_rows(owner, local_webhooks):
    campaign = factories.campaign(owner=owner)
    tasks.deliver.apply((factories.letter(campaign).id,))
    assert not Delivery.objects.exists()


def test_one_query_per_letter_when_nobody_listens(owner, django_assert_num_queries):
    letter = factories.letter(factories.campaign(owner=owner), status=Letter.Status.DELIVERED)
    hook_for(organizer("oscar"), "https://a.example/hook")  # someone else's campaigns
    with django_assert_num_queries(1):
        events.letter_finished(letter.id, Letter.Status.DELIVERED)
    with django_assert_num_queries(0):
        events.letter_finished(letter.id, Letter.Status.RETRYING)


@pytest.mark.pending_postings
def test_a_batch_of_postings_announces_each_submission_to_its_subscribers(
    owner, local_webhooks, campaign, vermont
):
    """Asked once for the batch: the organizer's hook hears of its own
    campaign's submissions only, a staff member's of every campaign's."""
    theirs = factories.campaign(owner=organizer("other"))
    campaign.owner = owner
    campaign.save()
    own_hook = hook_for(owner, "http://127.0.0.1:9/own")
    staff = organizer("staff")
    staff.is_staff = True
    staff.save()
    staff_hook = hook_for(staff, "http://127.0.0.1:9/staff")
    first = posted(campaign, vermont, "a" * 32)
    other = posted(theirs, vermont, "b" * 32, email="ben@example.org")
    acceptance.accept(first.id, room=1)

    heard = Delivery.objects.filter(event=Event.SUBMISSION_CREATED)
    assert sorted(heard.values_list("webhook_id", "payload__data__uuid")) == sorted(
        [
            (own_hook.id, str(first.uuid)),
            (staff_hook.id, str(first.uuid)),
            (staff_hook.id, str(other.uuid)),
        ]
    )
