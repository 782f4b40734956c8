"""Committees of Congress, their members, and the campaigns that write to them.

A subcommittee is a Committee with a parent. Rows are never deleted: a
campaign keeps pointing at a committee that a new Congress dissolved, which
is marked not current and so has no members to write to.
"""

from django.db import models

from legislators.models import Legislator


class Committee(models.Model):
    class Chamber(models.TextChoices):
        HOUSE = "house", "House"
        SENATE = "senate", "Senate"
        JOINT = "joint", "Joint"

    # The Thomas id: "SSEG" for a committee, "SSEG01" for its subcommittee.
    code = models.CharField(max_length=10, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="subcommittees"
    )
    chamber = models.CharField(max_length=6, choices=Chamber)
    name = models.CharField(max_length=300)
    url = models.URLField(max_length=300, blank=True)
    current = models.BooleanField(default=True, db_index=True)
    members = models.ManyToManyField(
        Legislator, through="Membership", related_name="committees", blank=True
    )

    class Meta:
        ordering = ("code",)

    def __str__(self):
        return f"{self.full_name} ({self.code})"

    @property
    def full_name(self):
        """A subcommittee's name says whose it is."""
        if self.parent_id is None:
            return self.name
        return f"{self.parent.name}: Subcommittee on {self.name}"


class Membership(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    legislator = models.ForeignKey(
        Legislator, on_delete=models.CASCADE, related_name="committee_memberships"
    )
    # "majority" or "minority", as the file says.
    side = models.CharField(max_length=10, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    title = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ("committee", "side", "rank")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "legislator"], name="one_membership_per_committee"
            )
        ]

    def __str__(self):
        return f"{self.legislator} on {self.committee.code}"


class CommitteeTargeting(models.Model):
    """Which committees a campaign with committee targets writes to."""

    campaign = models.OneToOneField(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="committee_targeting"
    )
    committees = models.ManyToManyField(Committee, related_name="campaigns")
    write_anyway = models.BooleanField(
        default=False,
        help_text="A supporter whose members sit on none of the committees may write to "
        "their own members instead.",
    )

    def __str__(self):
        return f"Committees of {self.campaign}"
