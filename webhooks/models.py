"""Webhooks: an organizer's URL that hears about their campaigns' events,
each event a Delivery with its Attempts, kept for the admin to show."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class Event(models.TextChoices):
    SUBMISSION_CREATED = "submission.created", "A supporter sent letters"
    LETTER_DELIVERED = "letter.delivered", "A letter was delivered"
    LETTER_FAILED = "letter.failed", "A letter failed for good"
    CAMPAIGN_PUBLISHED = "campaign.published", "A campaign was published"


def all_events():
    return list(Event.values)


def new_secret():
    return "whsec_" + secrets.token_urlsafe(32)


class Webhook(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    # Kept as given: signing needs the secret itself, not a digest.
    secret = models.CharField(max_length=200, default=new_secret)
    events = models.JSONField(default=all_events)
    active = models.BooleanField(default=True)
    # Failed attempts in a row, across deliveries; a success starts again at 0.
    failures_in_a_row = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ("-created_at",)

    def __str__(self):
        return self.url


class Delivery(models.Model):
    """One event for one webhook. (webhook, event_id) is unique, so an event
    recorded twice is sent once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        RETRYING = "retrying", "Retrying"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4)
    event = models.CharField(max_length=40, choices=Event)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_id"], name="one_delivery_per_event")
        ]

    def __str__(self):
        return f"{self.event} {self.event_id} → {self.webhook}"


class Attempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(db_default=Now())
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    milliseconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("at", "id")

    def __str__(self):
        return f"{self.status_code or self.error[:40]} at {self.at}"
