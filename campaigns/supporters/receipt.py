"""Where one supporter's letters stand, for the thank-you page and its updates."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.models import Letter

IN_FLIGHT = {Letter.Status.QUEUED, Letter.Status.SENDING, Letter.Status.RETRYING}


@dataclass
class Receipt:
    letters: list
    delivered: int
    failed: int
    no_route: int  # no electronic way to reach the office: the supporter calls or writes
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
        if self.delivered == total:
            return ngettext(
                "Your letter has been delivered.",
                "All %(total)d letters have been delivered.",
                total,
            ) % {"total": total}
        figures = {
            "delivered": self.delivered,
            "total": total,
            "failed": self.failed + self.no_route,
        }
        if self.done:
            return (
                ngettext(
                    "%(delivered)d of %(total)d letter delivered; "
                    "%(failed)d could not be delivered (see below).",
                    "%(delivered)d of %(total)d letters delivered; "
                    "%(failed)d could not be delivered (see below).",
                    total,
                )
                % figures
            )
        return (
            ngettext(
                "%(delivered)d of %(total)d delivered so far; the rest is on its way.",
                "%(delivered)d of %(total)d delivered so far; the rest are on their way.",
                total,
            )
            % figures
        )


def receipt_for(supporter):
    """Every letter this supporter wrote on the campaign, oldest first."""
    letters = list(
        supporter.letters.select_related("legislator", "custom_target").order_by("created_at")
    )
    statuses = [letter.status for letter in letters]
    return Receipt(
        letters=letters,
        delivered=statuses.count(Letter.Status.DELIVERED),
        failed=statuses.count(Letter.Status.FAILED) + statuses.count(Letter.Status.CANCELLED),
        no_route=statuses.count(Letter.Status.NO_ROUTE),
        waiting=statuses.count(Letter.Status.UNCONFIRMED),
        in_flight=sum(status in IN_FLIGHT for status in statuses),
    )
