"""Where one supporter's letters stand, for the thank-you page and its updates.

"Sent" is what we know: the gateway (CWC, the mail server) accepted the
letter, not that the office has read it; a refusal by the gateway and a
failure after retries are told apart on each letter.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.models import Letter, Posting, Submission

IN_FLIGHT = {Letter.Status.QUEUED, Letter.Status.SENDING, Letter.Status.RETRYING}
# A letter with no route is not sent either: the thank-you page says whom to call.
NOT_SENT = {
    Letter.Status.REJECTED,
    Letter.Status.FAILED,
    Letter.Status.CANCELLED,
    Letter.Status.NO_ROUTE,
}


@dataclass
class Receipt:
    letters: list
    sent: int  # accepted by the gateway
    not_sent: int  # rejected, failed, cancelled or with no route
    waiting: int  # held until the supporter confirms by email
    in_flight: int

    @property
    def done(self):
        """Nothing will change by itself any more: stop watching."""
        return self.in_flight == 0 and self.waiting == 0

    @property
    def summary(self):
        total = len(self.letters)
        if self.waiting:
            return _(
                "Your letters wait for you to confirm: open the link in the email we sent you."
            )
        if self.sent == total:
            return ngettext(
                "Your letter has been sent and accepted for delivery.",
                "All %(total)d letters have been sent and accepted for delivery.",
                total,
            ) % {"total": total}
        if self.done:
            return _(
                "%(sent)d of %(total)d letters sent; %(not_sent)d could not be (see below)."
            ) % {"sent": self.sent, "total": total, "not_sent": self.not_sent}
        figures = {"sent": self.sent, "total": total, "not_sent": self.not_sent}
        if self.not_sent:
            return (
                _(
                    "%(sent)d of %(total)d sent so far; %(not_sent)d could not be "
                    "(see below); the rest are on their way."
                )
                % figures
            )
        return _("%(sent)d of %(total)d sent so far; the rest are on their way.") % figures


def receipt_for(supporter):
    """Every letter this supporter wrote on the campaign, oldest first."""
    letters = list(
        supporter.letters.select_related("legislator", "custom_target").order_by("created_at")
    )
    statuses = [letter.status for letter in letters]
    return Receipt(
        letters=letters,
        sent=statuses.count(Letter.Status.DELIVERED),
        not_sent=sum(status in NOT_SENT for status in statuses),
        waiting=statuses.count(Letter.Status.UNCONFIRMED),
        in_flight=sum(status in IN_FLIGHT for status in statuses),
    )


# How often the thank-you page of a posting no worker has accepted yet
# reloads itself (a meta refresh: no JavaScript needed, in a frame too).
PREPARING_REFRESH_SECONDS = 2


@dataclass
class Preparing:
    """A send the request accepted, whose letters a worker has yet to write."""

    first_name: str
    failed: bool = False  # no worker could write them: none will be sent
    refresh_seconds: int = PREPARING_REFRESH_SECONDS


def thanks_for(campaign, submission_uuid):
    """(submission, receipt, preparing) for the thank-you page: the
    Submission and its supporter's letters once a worker has written them;
    until then only preparing. Raises Posting.DoesNotExist for an unknown uuid."""
    found = (
        Submission.objects.filter(uuid=submission_uuid, campaign=campaign)
        .select_related("supporter")
        .first()
    )
    if found is not None:
        return found, receipt_for(found.supporter), None
    posting = Posting.objects.get(uuid=submission_uuid, campaign=campaign)
    # Accepted in between these two reads: the payload is emptied, the next
    # reload finds the Submission.
    name = posting.payload.get("supporter", {}).get("first_name", "")
    return None, None, Preparing(name, failed=posting.failed_at is not None)
