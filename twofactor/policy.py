"""Who must give a second factor: staff (TWO_FACTOR_FOR_STAFF), organizers
when TWO_FACTOR_FOR_ORGANIZERS says so, and anyone who enrolled a device.

Whether a user has a device is read once, at sign-in, and kept in the
session, so pages cost no query for it.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import user_has_device

from campaigns.permissions import is_organizer

ENROLLED = "twofactor:enrolled"


@receiver(user_logged_in)
def _remember_enrolment(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED] = user_has_device(user, confirmed=True)


def remember_enrolled(request):
    request.session[ENROLLED] = True


def must_verify(request):
    user = request.user
    if request.session.get(ENROLLED):
        return True
    if user.is_staff:
        return settings.TWO_FACTOR_FOR_STAFF
    return settings.TWO_FACTOR_FOR_ORGANIZERS and is_organizer(user)
