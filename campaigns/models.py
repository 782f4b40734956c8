"""What is asked, of whom, and what was sent.

A Campaign asks supporters to write; a Supporter's one form post is a
Submission; each Submission makes one Letter per office it targets. Letters
carry their own delivery state, so a crash anywhere leaves a row that says
exactly where it stopped.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import dates, letters
from campaigns.delivery.registry import CHOICES as CHANNELS
from campaigns.origins import validate_embed_origins
from campaigns.text import one_line
from campaigns.topics import TOPICS

# CWC accepts 10,000 characters of constituent text; longer letters would be
# rejected at delivery, so we refuse them at the form instead.
MAX_LETTER_CHARS = 10_000
MAX_SUBJECT_CHARS = 200


class Language(models.TextChoices):
    """The languages a campaign page can be written in (settings.LANGUAGES)."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LIVE = "live", _("Live")
        CLOSED = "closed", _("Closed")

    class Targets(models.TextChoices):
        CONGRESS = "congress", _("Both senators and the representative")
        SENATE = "senate", _("Senators only")
        HOUSE = "house", _("Representative only")
        MEMBERS = "members", _("Only the chosen members")
        CUSTOM = "custom", _("Only the custom targets (no members of Congress)")
        COMMITTEE = "committee", _("The supporter's members who sit on the chosen committees")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    organization = models.CharField(max_length=200, blank=True)
    # The language the organizer wrote the page in; a CampaignTranslation
    # may give its text in the other one.
    language = models.CharField(
        _("language of the page"), max_length=2, choices=Language, default=Language.ENGLISH
    )
    title = models.CharField(max_length=120)
    summary = models.TextField(max_length=2000, blank=True)
    call_to_action = models.TextField(max_length=1000, blank=True)

    release_text = models.TextField(blank=True)
    release_url = models.URLField(max_length=500, blank=True)
    release_facts = models.JSONField(default=dict, blank=True)
    release_date = models.DateField(null=True, blank=True, help_text=_("The release's date."))
    show_release_date = models.BooleanField(
        default=False, help_text=_("Show the release's date on the campaign page.")
    )

    # Uploaded by the organizer, resized and re-encoded on upload (see images.py).
    image = models.ImageField(upload_to="campaigns/images/", blank=True)
    image_alt = models.CharField(
        _("Image description"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    logo = models.ImageField(_("Organization logo"), upload_to="campaigns/logos/", blank=True)

    goal = models.PositiveIntegerField(
        _("Goal (letters)"), null=True, blank=True, help_text=_("Shows a progress bar toward it.")
    )
    show_count_from = models.PositiveIntegerField(
        _("Show the count from"),
        default=100,
        help_text=_(
            "Show how many letters were sent only once there are at least this many: "
            "“3 letters sent” persuades nobody."
        ),
    )

    targets = models.CharField(max_length=10, choices=Targets, default=Targets.CONGRESS)
    target_members = models.ManyToManyField(
        "legislators.Legislator", blank=True, related_name="targeted_by"
    )

    letter_subject = models.CharField(max_length=MAX_SUBJECT_CHARS)
    letter_body = models.TextField(max_length=MAX_LETTER_CHARS)
    organization_statement = models.TextField(
        max_length=2000,
        blank=True,
        help_text=_("Fixed text from the organization, shown to supporters but not editable."),
    )
    letter_editable = models.BooleanField(default=True)
    topic = models.CharField(
        max_length=60,
        choices=[(topic, topic) for topic in sorted(TOPICS)],
        default="International Affairs",
        help_text=_("The Library of Congress topic offices file the letter under."),
    )
    bills = models.JSONField(default=list, blank=True)

    require_confirmation = models.BooleanField(
        default=False,
        help_text=_("Hold letters until the supporter confirms by clicking a link we email them."),
    )
    daily_letter_cap = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text=_("At most this many letters a day (all supporters together); empty for no cap."),
    )

    starts_at = models.DateTimeField(null=True, blank=True, validators=[dates.validate_in_range])
    ends_at = models.DateTimeField(null=True, blank=True, validators=[dates.validate_in_range])
    thank_you_text = models.TextField(max_length=2000, blank=True)
    opt_in_text = models.CharField(
        _("Opt-in wording"),
        max_length=300,
        blank=True,
        help_text=_(
            "Offer supporters a box (unticked) to hear from you again, with these words, "
            "like “Email me about this and other campaigns from Harbor Families.” "
            "Empty: no box."
        ),
    )
    share_text = models.CharField(max_length=280, blank=True)
    embed_origins = models.JSONField(
        "Sites that may embed this campaign",
        default=list,
        blank=True,
        validators=[validate_embed_origins],
        help_text="Origins like https://partner.org, one per line. Empty: no site may.",
    )

    created_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaign", args=[self.slug])

    def clean(self):
        # These reach mail headers, CWC XML and CSV cells as one line.
        for field in ("title", "organization", "letter_subject", "share_text"):
            setattr(self, field, one_line(getattr(self, field)))

    def is_accepting_letters(self, now=None):
        now = now or timezone.now()
        if self.status != self.Status.LIVE:
            return False
        if self.starts_at and now < self.starts_at:
            return False
        return not (self.ends_at and now >= self.ends_at)

    def letter_template(self):
        return letters.LetterTemplate(subject=self.letter_subject, body=self.letter_body)


class CampaignTranslation(models.Model):
    """The campaign's page text in another language, written by the organizer.

    Supporters reading that language see these texts where they are given,
    and the campaign's own elsewhere. A translated letter is prefilled for
    them; without one they send the campaign's letter, as offices read it.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=2, choices=Language)
    title = models.CharField(_("title"), max_length=120, blank=True)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    call_to_action = models.TextField(_("call to action"), max_length=1000, blank=True)
    thank_you_text = models.TextField(_("thank-you text"), max_length=2000, blank=True)
    share_text = models.CharField(_("share text"), max_length=280, blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    letter_subject = models.CharField(_("letter subject"), max_length=MAX_SUBJECT_CHARS, blank=True)
    letter_body = models.TextField(_("letter"), max_length=MAX_LETTER_CHARS, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language"], name="one_translation_per_language"
            )
        ]

    def __str__(self):
        return f"{self.campaign} ({self.language})"


class Variant(models.Model):
    """Another wording of a campaign's headline, letter subject or body, shown
    to a share of its supporters (campaigns/supporters/variants.py) so its
    dashboard can tell which wording gets letters sent. A blank field keeps
    the campaign's own; the campaign's own text is the control, "A".

    Never deleted while it has submissions: it is retired instead, which stops
    new assignments and keeps its figures."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(_("label"), max_length=40)
    headline = models.CharField(_("headline"), max_length=120, blank=True)
    letter_subject = models.CharField(_("letter subject"), max_length=MAX_SUBJECT_CHARS, blank=True)
    letter_body = models.TextField(_("letter"), max_length=MAX_LETTER_CHARS, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "label"], name="one_variant_per_label"),
        ]

    def __str__(self):
        return f"{self.label} on {self.campaign_id}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The campaign's kept pages and its list of variants are keyed on its
        # updated_at: a changed variant is a changed campaign.
        self.campaign.save(update_fields=["updated_at"])

    @property
    def is_active(self):
        return self.retired_at is None

    def retire(self):
        """No new supporter is shown it; its figures stay."""
        if self.retired_at is None:
            self.retired_at = timezone.now()
            self.save(update_fields=["retired_at"])


class ReleaseImport(models.Model):
    """A release an organizer asked us to fetch from the web: a worker fetches
    it (campaigns.tasks.import_release) while their browser waits."""

    class Status(models.TextChoices):
        FETCHING = "fetching", "Fetching"
        DRAFTED = "drafted", "Drafted"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="release_imports"
    )
    url = models.URLField(max_length=500)
    status = models.CharField(max_length=10, choices=Status, default=Status.FETCHING)
    error = models.TextField(blank=True)
    text = models.TextField(blank=True)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now())
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.url

    def waited_too_long(self, now=None):
        """Still fetching long after any fetch would have ended: no worker took it."""
        waited = (now or timezone.now()) - self.created_at
        return self.status == self.Status.FETCHING and waited.total_seconds() > 300


class CustomTargetQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verified_at__isnull=False)

    def unverified(self):
        return self.filter(verified_at__isnull=True)


class CustomTarget(models.Model):
    """An office outside Congress (a governor, an agency) reached by email.

    Each letter carries the supporter's name, address and email, so no letter
    goes to an address until it is verified: its owner followed the link we
    emailed it (campaigns.targets), or staff approved it in the admin.
    Changing the address makes it unverified again.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="custom_targets")
    name = models.CharField(max_length=200)
    salutation = models.CharField(max_length=200, help_text='For example "Governor Newsom".')
    email = models.EmailField()
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member who approved the address; empty when its owner confirmed it.",
    )

    objects = CustomTargetQuerySet.as_manager()

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def save(self, *args, **kwargs):
        if self.pk and self.verified_at is not None:
            stored = CustomTarget.objects.filter(pk=self.pk).values_list("email", flat=True)
            if stored.first() not in (None, self.email):
                self.verified_at, self.verified_by = None, None
        super().save(*args, **kwargs)

    def clean(self):
        # The name and greeting go into letters, subjects and CSV cells.
        self.name, self.salutation = one_line(self.name), one_line(self.salutation)

    @property
    def domain(self):
        """Where the letter goes, as a supporter can judge it: the address's domain."""
        return self.email.rpartition("@")[2].lower()

    @property
    def is_verified(self):
        return self.verified_at is not None


class Supporter(models.Model):
    """One person on one campaign, known by their email address."""

    class Prefix(models.TextChoices):
        # Optional; what each CWC chamber receives is in supporters/titles.py.
        MR = "Mr.", _("Mr.")
        MRS = "Mrs.", _("Mrs.")
        MISS = "Miss", _("Miss")
        MS = "Ms.", _("Ms.")
        MX = "Mx.", _("Mx.")
        DR = "Dr.", _("Dr.")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="supporters")
    email = models.EmailField()
    prefix = models.CharField(max_length=5, choices=Prefix, blank=True)
    # The language they read the page in: their emails are written in it.
    language = models.CharField(max_length=2, choices=Language, default=Language.ENGLISH)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    zip_code = models.CharField(max_length=10)
    phone = models.CharField(max_length=12, blank=True)
    # Consent to hear from the organization again: when, and the exact words agreed to.
    opted_in_at = models.DateTimeField(null=True, blank=True)
    opt_in_text = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(db_default=Now())
    # Street addresses are erased after delivery (see the retention setting);
    # city, state and district stay for the aggregate statistics.
    address_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "email"], name="one_supporter_per_email"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def merge_context(self):
        return letters.supporter_context(
            first_name=self.first_name,
            last_name=self.last_name,
            street=self.street,
            city=self.city,
            state=self.state,
            zip_code=self.zip_code,
        )


class Posting(models.Model):
    """A letter form's post as the request accepted it: the one row it writes.

    The request checks what must be refused at once, writes this row and
    publishes one task; the worker (campaigns.supporters.acceptance)
    writes the Supporter, the Submission (same uuid, same key) and the
    Letters from the payload, then marks it accepted and empties the payload
    (the address lives on in the Supporter only, where privacy.py erases it).
    Kept afterwards: its key answers a repeated post, pending or accepted.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="postings")
    idempotency_key = models.CharField(max_length=64)
    # The supporter's fields, the recipients' ids, the letter as a template,
    # how it was edited and the Submission's context: see submit.post.
    payload = models.JSONField(default=dict)
    # Letters it may make, counted against the campaign's daily cap until accepted.
    letters = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(db_default=Now())
    # When beat's sweep last handed its task over again (a task lost before
    # the broker); the request's own publish is not recorded, to spare it a
    # round trip: created_at stands for it.
    published_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # A posting no worker could accept (not a passing database error): its
    # thank-you page says so, the sweep leaves it, and it keeps no address.
    failed_at = models.DateTimeField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "idempotency_key"], name="one_posting_per_form_key"
            ),
        ]
        indexes = [
            # The sweep's and the daily cap's look at what is still pending
            # (neither accepted nor failed).
            models.Index(
                fields=["campaign", "created_at"],
                condition=models.Q(accepted_at__isnull=True, failed_at__isnull=True),
                name="posting_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.uuid} on {self.campaign_id}"


class Submission(models.Model):
    """One form post. Its idempotency key makes a double post a no-op."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(max_length=64)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="submissions")
    subject = models.CharField(max_length=MAX_SUBJECT_CHARS)
    body = models.TextField(max_length=MAX_LETTER_CHARS)
    edited = models.BooleanField(default=False)
    lookup_source = models.CharField(max_length=20, blank=True)
    matched_address = models.CharField(max_length=300, blank=True)
    district_ocd_id = models.CharField(max_length=80, blank=True)
    source = models.CharField(max_length=100, blank=True)
    utm = models.JSONField(default=dict, blank=True)
    # The wording the supporter was shown; empty for the campaign's own. A
    # variant with submissions is retired, not deleted (RESTRICT), unless its
    # campaign goes too.
    variant = models.ForeignKey(
        Variant, on_delete=models.RESTRICT, null=True, blank=True, related_name="submissions"
    )
    created_at = models.DateTimeField(db_default=Now(), db_index=True)
    # When the email telling the supporter what they sent (or asking them to
    # confirm it) was handed to the broker; empty until then, so beat can hand
    # over one that a broker outage kept back.
    confirmation_queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "idempotency_key"], name="one_submission_per_form_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(confirmation_queued_at__isnull=True),
                name="submission_unqueued_email_idx",
            ),
            # The statistics' submissions panel, from the index alone on PostgreSQL.
            models.Index(
                fields=["campaign", "created_at"],
                include=["edited", "source", "utm"],
                name="submission_stats_idx",
            ),
        ]

    def __str__(self):
        return f"{self.supporter} on {self.campaign}"


class Letter(models.Model):
    """One letter to one office: the unit of delivery."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Waiting for your confirmation")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Retrying")
        # Stored as "delivered", but all we know is that the gateway (CWC, the
        # mail server) accepted it, not that the office read it: the label says so.
        DELIVERED = "delivered", _("Sent (accepted by the gateway)")
        # The gateway refused this message for good (CWC's 400, a 5xx SMTP reply).
        REJECTED = "rejected", _("Rejected")
        # Given up: the attempts ran out, or it could not be sent at all.
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Not confirmed in time")
        # No configured channel reaches the office (offices.routes); the
        # reason is in failure_reason.
        NO_ROUTE = "no_route", _("No way to reach this office")

    # Sent to the receiving office as the delivery id, so a retry after a
    # lost answer is recognisably the same letter.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="letters")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="letters")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="letters")
    legislator = models.ForeignKey(
        "legislators.Legislator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
    )
    custom_target = models.ForeignKey(
        CustomTarget, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    # The seat the letter was written to, copied from the member by a
    # database trigger as the letter is written (campaigns/rollups.py): the
    # statistics count it there even after the member changes seats. Blank
    # for custom targets; no district for senators.
    office_state = models.CharField(max_length=2, blank=True, db_default="", editable=False)
    office_district = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    subject = models.CharField(max_length=MAX_SUBJECT_CHARS)
    salutation = models.CharField(max_length=200)
    body = models.TextField(max_length=MAX_LETTER_CHARS)

    status = models.CharField(max_length=12, choices=Status, default=Status.QUEUED)
    channel = models.CharField(max_length=20, blank=True, choices=CHANNELS)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    failure_reason = models.TextField(blank=True)
    # What the gateway answered when it accepted or rejected the letter.
    gateway_answer = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, null=True, blank=True, unique=True)

    created_at = models.DateTimeField(db_default=Now())
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the last message to deliver it was handed to the broker; empty
    # while none is known to be there (the broker was down, or the letter was
    # just put back), so beat hands it over again.
    published_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "supporter", "legislator"],
                condition=models.Q(legislator__isnull=False),
                name="one_letter_per_legislator",
            ),
            models.UniqueConstraint(
                fields=["campaign", "supporter", "custom_target"],
                condition=models.Q(custom_target__isnull=False),
                name="one_letter_per_custom_target",
            ),
            models.CheckConstraint(
                condition=models.Q(legislator__isnull=False, custom_target__isnull=True)
                | models.Q(legislator__isnull=True, custom_target__isnull=False),
                name="letter_has_one_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            # Letters read by campaign and date (the exports; the statistics
            # before the rollups); with these columns included PostgreSQL
            # answers counts from the index alone.
            models.Index(
                fields=["campaign", "created_at"],
                include=["status", "legislator", "custom_target", "delivered_at"],
                name="letter_stats_idx",
            ),
            # requeue_stuck scans only the letters still in flight.
            models.Index(
                fields=["status", "claimed_at"],
                condition=models.Q(status__in=["queued", "sending", "retrying"]),
                name="letters_in_flight",
            ),
            # Beat expires the letters never confirmed.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="unconfirmed"),
                name="letters_unconfirmed",
            ),
            # The backlog counts the waiting letters per office from the
            # index alone (campaigns/stats/backlog.py).
            models.Index(
                fields=["status", "legislator"],
                include=["custom_target", "created_at"],
                condition=models.Q(status__in=["queued", "sending", "retrying"]),
                name="letters_waiting_by_office",
            ),
            # The backlog's rate reads the last minutes' deliveries, and beat
            # the deliveries old enough to ask about (campaigns/followups.py).
            models.Index(
                fields=["delivered_at"],
                include=["legislator", "custom_target", "channel"],
                condition=models.Q(status="delivered"),
                name="letters_delivered_at",
            ),
        ]

    def __str__(self):
        return f"{self.salutation}: {self.subject}"

    @property
    def recipient(self):
        return self.legislator or self.custom_target


class DeliveryAttempt(models.Model):
    """One try at sending a letter: when, how long, through which channel,
    and what came of it, as the gateway said it. Written by
    delivery/sending.py for every attempt, and by requeue_stuck for one whose
    worker was lost; a pause (maintenance window, rate limit) is not an attempt."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted by the gateway")
        REJECTED = "rejected", _("Rejected by the gateway")
        ERROR = "error", _("Error, to be retried")
        GAVE_UP = "gave_up", _("Error, no attempts left")
        UNSENDABLE = "unsendable", _("Could not be sent")
        WORKER_LOST = "worker_lost", _("Worker lost")
        NO_ROUTE = "no_route", _("No channel reaches the office")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="delivery_attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    # Empty when the worker was lost: nobody saw the attempt end.
    duration = models.DurationField(null=True, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome)
    answer = models.TextField(blank=True, help_text="The gateway's answer, or the error.")

    class Meta:
        # Not unique: an attempt requeue_stuck took for lost may still report in.
        indexes = [models.Index(fields=["letter", "number"], name="attempts_by_letter")]
        ordering = ["letter", "number", "started_at"]

    def __str__(self):
        return f"Attempt {self.number} of letter {self.letter_id}: {self.outcome}"


class Event(models.Model):
    """A counted moment in the funnel that leaves no other row: a lookup.
    (Visits are counted per day in VisitTally.)"""

    class Kind(models.TextChoices):
        LOOKUP = "lookup", "Address lookup"
        LOOKUP_FAILED = "lookup_failed", "Lookup that found no one"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    source = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [models.Index(fields=["campaign", "kind", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.campaign_id} at {self.created_at}"


class LetterTally(models.Model):
    """How many of a campaign's letters, created on a local day, are in a
    status: kept by database triggers as letters change (campaigns/tallies.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    day = models.DateField()
    status = models.CharField(max_length=12, choices=Letter.Status)
    letters = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "status"], name="one_tally_per_day_and_status"
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.status}: {self.letters}"


class SubmissionTally(models.Model):
    """How many submissions a campaign has: kept by database triggers
    (campaigns/tallies.py), so the staff overview does not count them."""

    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="submission_tally"
    )
    submissions = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.campaign_id}: {self.submissions}"


class OfficeTally(models.Model):
    """How many of a campaign's letters, created on a local day, to one office
    at one seat, are in a status: kept by database triggers as letters change
    (campaigns/rollups.py), so the dashboard counts offices, states and
    districts without reading letters. Counted by the status string, so a new
    status needs no change here."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="office_tallies")
    day = models.DateField()
    status = models.CharField(max_length=12)
    # Plain numbers, 0 for none, rather than nullable keys: a unique key
    # with NULLs in it would never match the upsert that adds to it.
    legislator_pk = models.IntegerField(default=0)
    custom_target_pk = models.IntegerField(default=0)
    state = models.CharField(max_length=2, blank=True)
    district = models.SmallIntegerField(default=-1)  # -1: a senator or custom target
    letters = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "campaign",
                    "day",
                    "status",
                    "legislator_pk",
                    "custom_target_pk",
                    "state",
                    "district",
                ],
                name="one_office_tally_per_group",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.status} {self.state}: {self.letters}"


class OutcomeTally(models.Model):
    """The delivered letters per campaign, local day, state of the seat and
    time to delivery (a histogram: DELAY_STEPS buckets per doubling), and the
    failed and rejected ones per failure reason: kept by triggers
    (campaigns/rollups.py)."""

    DELAY_STEPS = 32
    # The delay of a failed and of a rejected letter's row: they have none.
    FAILED = -1
    REJECTED = -2
    ENDED = {FAILED: "failed", REJECTED: "rejected"}
    REASON_CHARS = 300

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="outcome_tallies")
    day = models.DateField()
    state = models.CharField(max_length=2, blank=True)
    delay = models.SmallIntegerField()
    failure_reason = models.CharField(max_length=REASON_CHARS, blank=True)
    letters = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "state", "delay", "failure_reason"],
                name="one_outcome_tally_per_group",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.state} {self.delay}: {self.letters}"


class OfficeFailureTally(models.Model):
    """The letters that did not get through (rejected, failed, no route) per
    campaign, local day, office, seat's state, status and failure reason (by
    its first REASON_CHARS characters): kept by triggers
    (campaigns/rollups.py), so the dashboard's delivery health by office
    reads no letter however many failed."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="office_failure_tallies"
    )
    day = models.DateField()
    legislator_pk = models.IntegerField(default=0)  # 0 for none, as in OfficeTally
    custom_target_pk = models.IntegerField(default=0)
    state = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=12)
    failure_reason = models.CharField(max_length=OutcomeTally.REASON_CHARS, blank=True)
    letters = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "campaign",
                    "day",
                    "legislator_pk",
                    "custom_target_pk",
                    "state",
                    "status",
                    "failure_reason",
                ],
                name="one_office_failure_tally_per_group",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.status} {self.state}: {self.letters}"


class OutcomeTotal(models.Model):
    """OutcomeTally over every state: what the dashboard reads without a state
    filter, a state's rows times fewer (campaigns/rollups.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="outcome_totals")
    day = models.DateField()
    delay = models.SmallIntegerField()
    failure_reason = models.CharField(max_length=OutcomeTally.REASON_CHARS, blank=True)
    letters = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "delay", "failure_reason"],
                name="one_outcome_total_per_group",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.delay}: {self.letters}"


class OfficeTotal(models.Model):
    """OfficeTally over every day of the campaign's life: what the dashboard
    reads when its range takes in every day the campaign can have letters on
    (the default range of a campaign under 30 days old), a few rows per
    office rather than per office and day (campaigns/rollups.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="office_totals")
    status = models.CharField(max_length=12)
    legislator_pk = models.IntegerField(default=0)  # 0 for none, as in OfficeTally
    custom_target_pk = models.IntegerField(default=0)
    state = models.CharField(max_length=2, blank=True)
    district = models.SmallIntegerField(default=-1)  # -1: a senator or custom target
    letters = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "campaign",
                    "status",
                    "legislator_pk",
                    "custom_target_pk",
                    "state",
                    "district",
                ],
                name="one_office_total_per_group",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.status} {self.state}: {self.letters}"


class OfficeFailureTotal(models.Model):
    """OfficeFailureTally over every day of the campaign's life, read as
    OfficeTotal is (campaigns/rollups.py)."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="office_failure_totals"
    )
    legislator_pk = models.IntegerField(default=0)
    custom_target_pk = models.IntegerField(default=0)
    state = models.CharField(max_length=2, blank=True)
    status = models.CharField(max_length=12)
    failure_reason = models.CharField(max_length=OutcomeTally.REASON_CHARS, blank=True)
    letters = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "campaign",
                    "legislator_pk",
                    "custom_target_pk",
                    "state",
                    "status",
                    "failure_reason",
                ],
                name="one_office_failure_total_per_group",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.status} {self.state}: {self.letters}"


class SourceTally(models.Model):
    """Submissions per campaign, local day, supporter's state, ?source=,
    edited or not and UTM tags: kept by triggers (campaigns/rollups.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="source_tallies")
    day = models.DateField()
    state = models.CharField(max_length=2, blank=True)
    source = models.CharField(max_length=100, blank=True)
    edited = models.BooleanField()
    tagged = models.BooleanField()  # any utm_* at all
    # Blank for a tag not given (an empty one is never stored).
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    submissions = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "campaign",
                    "day",
                    "state",
                    "source",
                    "edited",
                    "tagged",
                    "utm_source",
                    "utm_medium",
                    "utm_campaign",
                ],
                name="one_source_tally_per_group",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.state} {self.source}: {self.submissions}"


class EventTally(models.Model):
    """Lookups per campaign, local day, kind and ?source=: kept by triggers
    (campaigns/rollups.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="event_tallies")
    day = models.DateField()
    kind = models.CharField(max_length=20)
    source = models.CharField(max_length=100, blank=True)
    events = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "kind", "source"], name="one_event_tally_per_group"
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.kind}: {self.events}"


class VisitTally(models.Model):
    """Visitors to a campaign's page per local day, ?source= and variant,
    counted in the cache and added here by beat (campaigns/supporters/visits.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="visit_tallies")
    day = models.DateField()
    source = models.CharField(max_length=100, blank=True)
    # The Variant's id, 0 for the campaign's own wording: a number rather than
    # a nullable key, since the upsert's conflict target must never be null.
    variant = models.PositiveIntegerField(default=0, db_default=0)
    visits = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "source", "variant"],
                name="one_visit_tally_per_day_source_and_variant",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.source or '-'} {self.variant}: {self.visits}"


class Packet(models.Model):
    """The letters to one office printed as one PDF, for an organizer to hand
    over (a lobby day, an office that takes no electronic mail). A worker
    builds it (campaigns/packets.py); it records the letters it holds, and
    confirming it delivered by hand marks those not delivered otherwise."""

    class Status(models.TextChoices):
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be built")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="packets")
    legislator = models.ForeignKey(
        "legislators.Legislator",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="packets",
    )
    custom_target = models.ForeignKey(
        CustomTarget, on_delete=models.CASCADE, null=True, blank=True, related_name="packets"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.BUILDING)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to="campaigns/packets/", blank=True)
    letters = models.ManyToManyField(Letter, through="PacketLetter", related_name="packets")
    created_at = models.DateTimeField(db_default=Now())
    built_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(legislator__isnull=False, custom_target__isnull=True)
                | models.Q(legislator__isnull=True, custom_target__isnull=False),
                name="packet_has_one_office",
            ),
        ]
        indexes = [models.Index(fields=["campaign", "created_at"])]

    def __str__(self):
        return f"{self.campaign_id}: {self.recipient}"

    @property
    def recipient(self):
        return self.legislator or self.custom_target


class PacketLetter(models.Model):
    """A letter a packet holds; marked when the packet's hand delivery
    delivered it (rather than a channel, before or after)."""

    packet = models.ForeignKey(Packet, on_delete=models.CASCADE, related_name="entries")
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="+")
    page = models.PositiveIntegerField()
    delivered_by_hand = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["packet", "letter"], name="one_entry_per_letter"),
        ]

    def __str__(self):
        return f"{self.packet_id}: letter {self.letter_id} on page {self.page}"


class FollowUp(models.Model):
    """The question a supporter is asked some weeks after a letter was
    delivered: did the office reply? One per letter, so a supporter is asked
    at most once per office and campaign (campaigns/followups.py)."""

    class Answer(models.TextChoices):
        REPLIED = "replied", _("Yes, the office replied")
        NO_REPLY = "no_reply", _("No reply yet")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="follow_up")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="follow_ups")
    # The letter's, when it was asked about: beat starts the next search
    # for letters due after the latest (campaigns/followups.py).
    delivered_at = models.DateTimeField(db_index=True)
    asked_at = models.DateTimeField()
    answer = models.CharField(max_length=10, choices=Answer, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["campaign", "answer"], name="follow_up_answers_idx")]

    def __str__(self):
        return f"{self.letter_id}: {self.answer or '-'}"
