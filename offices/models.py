"""The office directory: how letters reach each member's office."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from legislators.models import Chamber


class Office(models.Model):
    """One member's office, as the published CWC lists and staff describe it.

    Keyed by the member's bioguide id, so it outlives roster changes: a
    member who leaves keeps the row (letters already written point at it),
    and the seat's CWC code moves to whoever holds the seat next.
    """

    legislator = models.OneToOneField(
        "legislators.Legislator",
        to_field="bioguide_id",
        db_column="bioguide_id",
        on_delete=models.PROTECT,
        related_name="office",
    )
    chamber = models.CharField(max_length=6, choices=Chamber.choices)
    # Copied from the chamber's published list, never computed from the seat:
    # a computed Senate code is the classic way to reach nobody.
    cwc_code = models.CharField(_("CWC office code"), max_length=5, blank=True, db_index=True)
    enrolled = models.BooleanField(
        _("reached by CWC"), default=False, help_text=_("Listed by the chamber's CWC office list.")
    )
    last_listed_at = models.DateTimeField(
        _("last seen in the list"), null=True, blank=True, editable=False
    )
    email = models.EmailField(
        _("email override"),
        blank=True,
        help_text=_("Letters CWC cannot deliver go to this address."),
    )
    no_route = models.BooleanField(
        _("no route"),
        default=False,
        help_text=_("This office takes no electronic letters: supporters are told at once."),
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("Why the override (for staff).")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("chamber", "cwc_code", "legislator")

    def __str__(self):
        return f"{self.cwc_code or '—'} {self.legislator_id}"

    def clean(self):
        if self.no_route and self.email:
            raise ValidationError(
                _("Choose one override: an email address, or no route, not both.")
            )
