"""Each wording's figures (campaigns/supporters/variants.py), for the
dashboard: visitors, submissions, how many supporters edited the letter,
where their letters stand, and conversion with its 95 % interval, beside the
control (the campaign's own wording, "A").

An interval is shown only from MIN_VISITORS visitors on (on both sides, for
a comparison): below that it is so wide that the dashboard says "not enough
data yet" instead of numbers that invite reading a difference into noise.
"""

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from campaigns.models import Letter
from campaigns.stats.intervals import Interval, difference, wilson
from campaigns.supporters.variants import CONTROL

MIN_VISITORS = 100
# Counted by their stored value: the statuses the dashboard shows per wording.
DELIVERED = Letter.Status.DELIVERED.value
FAILED = Letter.Status.FAILED.value
# An office's refusal, told apart from a failure by the delivery backends
# that record it; counted by its value, so it shows once any letter has it.
REJECTED = "rejected"
CONTROL_LABEL = _("A (the campaign's own)")


@dataclass(frozen=True)
class WordingFigures:
    variant: object  # a Variant, or None for the control
    label: str
    visitors: int | None  # None when filtered by state (visits have none)
    submissions: int
    edited: int
    delivered: int
    rejected: int
    failed: int
    conversion: Interval | None  # None: not enough data yet
    against_control: Interval | None  # None: not enough data yet (or this is the control)

    @property
    def is_control(self):
        return self.variant is None

    @property
    def edited_share(self):
        return self.edited / self.submissions if self.submissions else None


def variant_figures(campaign, filters):
    """The control's figures, then each variant's (retired ones too, as they
    were counted), over the filters' days; [] for a campaign without variants."""
    variants = list(campaign.variants.all())
    if not variants:
        return []
    visitors = None
    if not filters.state:
        tallies = campaign.visit_tallies.filter(day__range=(filters.first_day, filters.last_day))
        visitors = dict(tallies.values_list("variant").annotate(total=Sum("visits")).order_by())
    submitted = (
        campaign.submissions.filter(filters.q("created_at", "supporter__state"))
        .values_list("variant", "edited")
        .annotate(rows=Count("*"))
        .order_by()
    )
    letters = (
        campaign.letters.filter(filters.q("created_at", "legislator__state"))
        .filter(status__in=[DELIVERED, FAILED, REJECTED])
        .values_list("submission__variant", "status")
        .annotate(rows=Count("*"))
        .order_by()
    )
    submissions, edited, statuses = {}, {}, {}
    for variant_id, was_edited, count in submitted:
        key = variant_id or CONTROL
        submissions[key] = submissions.get(key, 0) + count
        edited[key] = edited.get(key, 0) + (count if was_edited else 0)
    for variant_id, status, count in letters:
        statuses[(variant_id or CONTROL, status)] = count

    def figures(variant, label, control=None):
        key = variant.pk if variant else CONTROL
        seen = None if visitors is None else visitors.get(key, 0)
        sent = submissions.get(key, 0)
        conversion = _conversion(sent, seen)
        against = None
        if control is not None and conversion and control.conversion:
            against = difference(
                min(sent, seen),
                seen,
                min(control.submissions, control.visitors),
                control.visitors,
            )
        return WordingFigures(
            variant=variant,
            label=label,
            visitors=seen,
            submissions=sent,
            edited=edited.get(key, 0),
            delivered=statuses.get((key, DELIVERED), 0),
            rejected=statuses.get((key, REJECTED), 0),
            failed=statuses.get((key, FAILED), 0),
            conversion=conversion,
            against_control=against,
        )

    control = figures(None, str(CONTROL_LABEL))
    return [control, *(figures(variant, variant.label, control) for variant in variants)]


def _conversion(submissions, visitors):
    """Submissions per visitor with its interval, or None below MIN_VISITORS.
    A supporter can send without being counted a visitor (a page cached by
    a browser, a count lost with Redis): the share is capped at one."""
    if visitors is None or visitors < MIN_VISITORS:
        return None
    return wilson(min(submissions, visitors), visitors)
