"""A WebAuthn security key as a django-otp device, so that signing in with
it marks the session verified exactly as a code does."""

from django.db import models
from django_otp.models import Device


class SecurityKey(Device):
    # fido2's AttestedCredentialData: the credential id and its public key.
    credential = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(Device.Meta):
        verbose_name = "security key"
