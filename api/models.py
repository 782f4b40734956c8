"""API tokens: one organizer's key to the JSON API, stored only as a digest."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read campaigns, statistics, submissions and letters"
        WRITE = "write", "Read, and create, publish and close campaigns"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text='What uses it, e.g. "Our CRM".')
    scope = models.CharField(max_length=5, choices=Scope, default=Scope.READ)
    # The token's first characters, to tell tokens apart; never enough to use one.
    prefix = models.CharField(max_length=12)
    # SHA-256 of the whole token: a leaked database reveals no usable token.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(db_default=Now())
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self):
        return self.revoked_at is None

    @property
    def can_write(self):
        return self.scope == self.Scope.WRITE
