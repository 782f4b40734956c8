"""Sending: one form post becomes one Submission and one Letter per office.

The request only posts (one Posting row, one task published once it
commits); the worker accepts it (campaigns.supporters.acceptance, several
postings at a time), writing the Supporter, the Submission and the
Letters. Nothing is lost or doubled: the posting's idempotency key makes a
repeated post return the first one's result, beat's sweep hands
over again a posting whose task was lost, accepting twice finds the
Submission of the first time, the unique constraint on
(campaign, supporter, office) means a returning supporter never writes the
same office twice, and letters are queued only once the transaction commits.
"""

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from campaigns import letters
from campaigns.delivery.queue import enqueue_acceptance, enqueue_confirmations, enqueue_letters
from campaigns.models import Letter, Posting, Submission, Supporter
from campaigns.supporters import limits
from legislators.models import Legislator
from offices import routes
from webhooks import events as webhook_events


@dataclass
class Outcome:
    submission: Submission
    sent: list = field(default_factory=list)  # letters this post created
    repeated: bool = False  # the same post arrived again


def recipient_ids(recipient):
    """(legislator id, custom target id), as a Letter records its recipient."""
    if isinstance(recipient, Legislator):
        return (recipient.id, None)
    return (None, recipient.id)


def recipient_values(recipient):
    """The merge fields that name one office."""
    if isinstance(recipient, Legislator):
        return letters.recipient_context(
            salutation=recipient.salutation,
            title=recipient.title,
            name=recipient.display_name,
            last_name=recipient.last_name,
        )
    return letters.recipient_context(
        salutation=recipient.salutation,
        title="",
        name=recipient.name,
        last_name=recipient.salutation.rsplit(" ", 1)[-1],
    )


def progress_key(campaign_id):
    """Where the page's "letters sent so far" figure is cached."""
    return f"campaigns:letters-sent:{campaign_id}"


def forget_progress(campaign_id):
    """Once this transaction commits, the page counts its letters anew."""
    transaction.on_commit(lambda: cache.delete(progress_key(campaign_id)))


def post(campaign, *, key, supporter, recipients, letter, edited, context):
    """What the request writes: one Posting, its task published on commit.
    Returns it, or the one a post with the same key made first.

    The arguments are submit's. Raises limits.CampaignFull when the
    campaign's daily cap has no room for the letters.
    """
    fields = dict(supporter)
    # Set by the worker from the posting's time: a datetime is no JSON.
    fields.pop("opted_in_at", None)
    posting = Posting(
        campaign=campaign,
        idempotency_key=key,
        letters=len(recipients),
        payload={
            "supporter": fields,
            "recipients": [recipient_ids(recipient) for recipient in recipients],
            "subject": letter.subject,
            "body": letter.body,
            "edited": edited,
            "context": context,
        },
    )
    capped = campaign.daily_letter_cap is not None
    # Without a cap the insert is the whole of it: one statement, no
    # transaction around it (two round trips fewer in autocommit). Inside a
    # transaction already (a test's), a savepoint keeps a conflict from
    # breaking it.
    atomic = transaction.atomic() if capped or connection.in_atomic_block else nullcontext()
    try:
        with atomic:
            if capped:
                limits.make_room(campaign, posting.letters)
            posting.save(force_insert=True)
    except IntegrityError:
        # The same key again, from a post that raced this one.
        return Posting.objects.get(campaign=campaign, idempotency_key=key)
    enqueue_acceptance(posting.id)
    return posting


def submit(campaign, *, key, supporter, recipients, letter, edited, context):
    """Record one supporter's letters and queue them for delivery, at once
    (post and accept in one; the benchmarks' way of filling the queue).

    supporter: the Supporter's fields, email among them; recipients:
    Legislators and CustomTargets; letter: the LetterTemplate as the
    supporter left it, office fields still to fill; context: lookup and
    tracking fields for the Submission. Raises limits.CampaignFull when the
    campaign's daily cap has no room for the letters.
    """
    arguments = (campaign, key, supporter, recipients, letter, edited, context)
    try:
        return _submit(*arguments)
    except IntegrityError:
        # A concurrent post won the race for the same key or the same office;
        # the second pass sees its rows and answers from them.
        return _submit(*arguments)


@transaction.atomic
def _submit(campaign, key, supporter_fields, recipients, letter, edited, context):
    # Keys are unique per campaign: a key brought from another campaign's
    # page is a new post here, never that campaign's.
    earlier = Submission.objects.filter(campaign=campaign, idempotency_key=key).first()
    if earlier is not None:
        return Outcome(earlier, repeated=True)

    fields = dict(supporter_fields)
    supporter, _ = Supporter.objects.update_or_create(
        campaign=campaign, email=fields.pop("email"), defaults=fields
    )
    submission = Submission.objects.create(
        idempotency_key=key,
        campaign=campaign,
        supporter=supporter,
        subject=letter.subject,
        body=letter.body,
        edited=edited,
        **context,
    )
    written = set(
        Letter.objects.filter(campaign=campaign, supporter=supporter).values_list(
            "legislator_id", "custom_target_id"
        )
    )
    # The directory's entries in one query, for the routes below.
    members = [recipient for recipient in recipients if isinstance(recipient, Legislator)]
    prefetch_related_objects(members, "office")
    new_letters = letters_to_write(submission, recipients, letter, written)
    limits.make_room(campaign, len(new_letters))
    Letter.objects.bulk_create(new_letters)
    forget_progress(campaign.pk)
    enqueue_letters(queued(new_letters))
    if new_letters:
        enqueue_confirmations([submission.id])
        webhook_events.submission_created(submission, new_letters)
    return Outcome(submission, sent=new_letters)


def letters_to_write(submission, recipients, letter, written):
    """The submission's unsaved Letters, one per recipient whose office the
    supporter has not written to (written: the (legislator id, custom
    target id) of their earlier letters); the offices' routes prefetched."""
    campaign = submission.campaign
    status = Letter.Status.UNCONFIRMED if campaign.require_confirmation else Letter.Status.QUEUED
    new_letters = []
    for recipient in recipients:
        if recipient_ids(recipient) in written:
            continue
        rendered = letters.for_recipient(letter, recipient_values(recipient))
        is_member = isinstance(recipient, Legislator)
        new_letters.append(
            Letter(
                campaign=campaign,
                submission=submission,
                supporter=submission.supporter,
                legislator=recipient if is_member else None,
                custom_target=None if is_member else recipient,
                subject=rendered.subject,
                salutation=recipient.salutation,
                body=rendered.body,
                status=status,
            )
        )
        no_way_to_reach(new_letters[-1])
    return new_letters


def queued(new_letters):
    """The ids of the saved letters that go to the queue now (not held for a
    confirmation, not without a route)."""
    return [letter.id for letter in new_letters if letter.status == Letter.Status.QUEUED]


def no_way_to_reach(letter):
    """Mark an unsaved letter NO_ROUTE when no channel reaches its office, so
    the supporter learns it on the thank-you page, not days later."""
    found = routes.route(letter)
    if not found:
        letter.status = Letter.Status.NO_ROUTE
        letter.failure_reason = found.reason


@transaction.atomic
def confirm(submission):
    """The supporter confirmed by email: their held letters go to the queue."""
    held = list(
        submission.letters.select_for_update()
        .filter(status=Letter.Status.UNCONFIRMED)
        .values_list("id", flat=True)
    )
    # Queued from now: beat's grace period for handing it over starts here.
    Letter.objects.filter(id__in=held).update(
        status=Letter.Status.QUEUED, next_attempt_at=timezone.now()
    )
    forget_progress(submission.campaign_id)
    enqueue_letters(held)
    return len(held)
