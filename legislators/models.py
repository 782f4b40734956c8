from django.conf import settings
from django.db import models
from django.utils.translation import gettext_noop

from legislators.divisions import (
    DELEGATE_AREAS,
    RESIDENT_COMMISSIONER_AREAS,
    STATES,
    Seat,
    state_ocd_id,
)

STATE_CHOICES = [(code, name) for code, (_fips, name) in STATES.items()]


class Chamber(models.TextChoices):
    SENATE = "senate", "Senate"
    HOUSE = "house", "House"


class Legislator(models.Model):
    """A member of Congress. Rows are never deleted: letters already sent
    keep pointing at members who have left, who are marked out of office."""

    bioguide_id = models.CharField(max_length=10, unique=True)
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    suffix = models.CharField(max_length=20, blank=True)
    nickname = models.CharField(max_length=100, blank=True)
    official_full_name = models.CharField(max_length=200, blank=True)
    chamber = models.CharField(max_length=6, choices=Chamber.choices)
    state = models.CharField(max_length=2, choices=STATE_CHOICES)
    # None for senators; 0 for at-large seats, DC and the territories.
    district = models.PositiveSmallIntegerField(null=True, blank=True)
    senate_class = models.PositiveSmallIntegerField(null=True, blank=True)
    state_rank = models.CharField(max_length=10, blank=True)
    party = models.CharField(max_length=50, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    office_address = models.CharField(max_length=300, blank=True)
    website = models.URLField(max_length=300, blank=True)
    contact_form_url = models.URLField(max_length=300, blank=True)
    twitter = models.CharField(max_length=100, blank=True)
    facebook = models.CharField(max_length=100, blank=True)
    instagram = models.CharField(max_length=100, blank=True)
    youtube = models.CharField(max_length=100, blank=True)
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    in_office = models.BooleanField(default=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("state", "chamber", "district", "last_name", "bioguide_id")
        indexes = (
            models.Index(fields=("state", "chamber", "district"), name="legislator_seat_idx"),
        )

    def __str__(self):
        return f"{self.display_name} ({self.seat_label})"

    @property
    def title(self):
        # English, as letters name them; pages translate it ({% translate legislator.title %}).
        if self.chamber == Chamber.SENATE:
            return gettext_noop("Senator")
        if self.state in DELEGATE_AREAS:
            return gettext_noop("Delegate")
        if self.state in RESIDENT_COMMISSIONER_AREAS:
            return gettext_noop("Resident Commissioner")
        return gettext_noop("Representative")

    @property
    def display_name(self):
        if self.official_full_name:
            return self.official_full_name
        first = self.nickname or self.first_name
        return " ".join(part for part in (first, self.last_name, self.suffix) if part)

    @property
    def salutation(self):
        return f"{self.title} {self.last_name}"

    @property
    def initials(self):
        first = self.nickname or self.first_name
        return f"{first[:1]}{self.last_name[:1]}".upper()

    @property
    def photo_url(self):
        pattern = settings.LEGISLATOR_PHOTO_URL
        return pattern.format(bioguide=self.bioguide_id)

    @property
    def contact_url(self):
        # House members almost never publish a contact form URL; their
        # website has one.
        return self.contact_form_url or self.website

    @property
    def party_initial(self):
        return self.party[:1]

    @property
    def seat(self):
        """The House seat, or None for a senator."""
        if self.chamber == Chamber.SENATE:
            return None
        return Seat(self.state, self.district)

    @property
    def constituency(self):
        """What the member represents: "California", "California's 12th district"."""
        if self.chamber == Chamber.SENATE:
            return STATES[self.state][1]
        return self.seat.name

    @property
    def seat_label(self):
        if self.chamber == Chamber.SENATE:
            return f"{self.state} Senate"
        return self.seat.label

    @property
    def ocd_id(self):
        """The division the member represents: the state for senators."""
        if self.chamber == Chamber.SENATE:
            return state_ocd_id(self.state)
        return self.seat.ocd_id


class DistrictOffice(models.Model):
    legislator = models.ForeignKey(Legislator, on_delete=models.CASCADE, related_name="offices")
    office_id = models.CharField(max_length=100, unique=True)
    address = models.CharField(max_length=200, blank=True)
    suite = models.CharField(max_length=100, blank=True)
    building = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    zip_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    fax = models.CharField(max_length=30, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ("office_id",)

    def __str__(self):
        return f"{self.city}, {self.state}" if self.city else self.office_id


class ZipDistrict(models.Model):
    """One (ZCTA, district) pair; a ZCTA in several districts has several rows."""

    zcta = models.CharField(max_length=5, db_index=True)
    state = models.CharField(max_length=2)
    district = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("zcta", "state", "district")

    def __str__(self):
        return f"{self.zcta} → {self.state}-{self.district}"
