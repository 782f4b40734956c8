"""The work of a campaign page's two posts, wherever the supporter's progress
is kept: the session on the campaign page, a signed token in a frame
(see frames.py). The views turn each outcome into a page or a redirect."""

import uuid
from dataclasses import dataclass

from django.utils.translation import get_language

from campaigns import letters, tasks
from campaigns.models import Event
from campaigns.supporters import limits, progress, submit
from legislators.limits import lookup_refusal
from legislators.lookup import InvalidQuery, Status, find_representation

# The lookup names its fields after the query; the form after the supporter.
FORM_FIELD_FOR = {"street": "street", "city": "city", "state": "state", "zip": "zip_code"}


def find_members(request, campaign, state, form):
    """Step one, who and where: None once the state holds the supporter's
    members or a choice of districts; else the status to show form's errors with."""
    valid = form.is_valid()
    # A new address replaces whatever was looked up before.
    progress.forget_lookup(state)
    if refusal := lookup_refusal(request):
        form.add_error(None, refusal)
        return 429
    if valid and campaign.is_accepting_letters():
        supporter = form.cleaned_data
        try:
            representation = find_representation(
                street=supporter["street"],
                city=supporter["city"],
                state=supporter["state"],
                zip_code=supporter["zip_code"],
            )
        except InvalidQuery as error:
            for field, message in error.errors.items():
                form.add_error(FORM_FIELD_FOR.get(field), message)
        else:
            found = representation.status == Status.OK
            progress.record(
                campaign, Event.Kind.LOOKUP if found else Event.Kind.LOOKUP_FAILED, state
            )
            if problem := progress.remember(state, supporter, representation, campaign):
                form.add_error(None, problem)
            else:
                return None
    return 200


@dataclass
class Sending:
    """What step two's post came to. Neither thanks nor a status: nothing
    is left to write, back to the campaign's first step."""

    step: progress.LetterStep | None = None  # for showing the page again
    status: int | None = None  # show the page again with the letter form's errors
    thanks: uuid.UUID | None = None  # the thank-you page to go to


def send(request, campaign, state, sent, form):
    """Step two, the letter, for a supporter whose state holds a lookup.

    sent: what remembers this browser's submissions (receipts.of, or a
    frame's token payload)."""
    step = progress.letter_step(campaign, state, sent)
    if not form.is_valid():
        return _unless_repeated(form, campaign, Sending(step, 400))
    if not step.recipients:
        # Written to every office already, or the email is another browser's.
        return _unless_repeated(form, campaign, Sending(step))
    if refusal := limits.send_refusal(request, campaign, state["supporter"]["email"]):
        form.add_error(None, refusal)
        return _unless_repeated(form, campaign, Sending(step, 429))
    if step.taken:
        # Answer as a send does, with a thank-you page; the letters are not
        # sent, and the address's owner hears of the attempt (the sender's
        # own post again, from a frame whose token predates it, is no attempt).
        if (repeated := form.repeated_posting(campaign)) is not None:
            return Sending(thanks=repeated.uuid)
        tasks.tell_owner_of_repeat.delay_on_commit(campaign.pk, state["supporter"]["email"])
        return Sending(step, thanks=uuid.uuid4())

    if campaign.letter_editable:
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
    else:
        subject, body = step.initial["subject"], step.initial["body"]
    try:
        posting = submit.post(
            campaign,
            key=form.cleaned_data["key"],
            supporter=progress.supporter_fields(state) | {"language": get_language()},
            recipients=step.recipients,
            letter=letters.LetterTemplate(subject, letters.join_greeting(step.greeting, body)),
            edited=(subject.strip(), body.strip()) != step.proposed,
            context=progress.submission_context(state),
        )
    except limits.CampaignFull as full:
        form.add_error(None, full.message)
        return _unless_repeated(form, campaign, Sending(step, 429))
    # The posting's uuid is the Submission's once a worker has accepted it
    # (submit.post answers a key used before with the posting it made).
    progress.remember_submission(sent, posting)
    return Sending(step, thanks=posting.uuid)


def _unless_repeated(form, campaign, refused):
    """A double click or a refreshed POST answers as the first one did, even
    where a new post would be refused (its letters are written by now, say).
    Asked only on the way to a refusal: a new post finds out by its insert."""
    repeated = form.repeated_posting(campaign)
    return refused if repeated is None else Sending(thanks=repeated.uuid)
