"""Security keys (WebAuthn, through fido2): register one after signing in
with a code, then use it instead of a code.

Each ceremony has two steps: options for the browser (their challenge kept
in the session), then the browser's answer, checked against them. The
relying party is this site's host name, so a key registered here answers
nowhere else.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django_otp import login
from fido2.server import Fido2Server
from fido2.webauthn import (
    AttestedCredentialData,
    AuthenticationResponse,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
    UserVerificationRequirement,
)

from twofactor import devices
from twofactor.models import SecurityKey

STATE = "twofactor:webauthn-state"


class KeyRefused(Exception):
    """The browser's answer does not check out; the message says what to do."""


def _server(request):
    # The host the browser asked for (ALLOWED_HOSTS vouches for it), without the port.
    host = urlsplit("//" + request.get_host()).hostname
    return Fido2Server(PublicKeyCredentialRpEntity(id=host, name=settings.SITE_NAME))


def _credentials(user):
    return [
        AttestedCredentialData(bytes(key.credential))
        for key in SecurityKey.objects.filter(user=user, confirmed=True)
    ]


def registration_options(request):
    user = request.user
    options, state = _server(request).register_begin(
        PublicKeyCredentialUserEntity(
            id=str(user.pk).encode(), name=user.get_username(), display_name=user.get_username()
        ),
        credentials=_credentials(user),
        user_verification=UserVerificationRequirement.DISCOURAGED,
    )
    request.session[STATE] = state
    return dict(options)


def register(request, answer, name):
    state = request.session.pop(STATE, None)
    if state is None:
        raise KeyRefused("Start again: the request for a key expired.")
    try:
        data = _server(request).register_complete(state, answer)
    except (ValueError, KeyError, TypeError) as error:
        raise KeyRefused(f"The key's answer did not check out ({error}).") from None
    return SecurityKey.objects.create(
        user=request.user,
        name=(name or "Security key")[:64],
        confirmed=True,
        credential=bytes(data.credential_data),
        sign_count=data.counter,
    )


def authentication_options(request):
    """Options for the browser, or None when the user has no key."""
    credentials = _credentials(request.user)
    if not credentials:
        return None
    options, state = _server(request).authenticate_begin(
        credentials, user_verification=UserVerificationRequirement.DISCOURAGED
    )
    request.session[STATE] = state
    return dict(options)


def authenticate(request, answer):
    """The key that signed the challenge; marks the session verified."""
    devices.check_failures(request.user)
    state = request.session.pop(STATE, None)
    if state is None:
        raise KeyRefused("Start again: the request for your key expired.")
    keys = list(SecurityKey.objects.filter(user=request.user, confirmed=True))
    try:
        used = _server(request).authenticate_complete(
            state, [AttestedCredentialData(bytes(key.credential)) for key in keys], answer
        )
        counter = AuthenticationResponse.from_dict(answer).response.authenticator_data.counter
    except (ValueError, KeyError, TypeError) as error:
        devices.count_failure(request.user)
        raise KeyRefused(f"That key did not sign in ({error}).") from None
    key = next(key for key in keys if bytes(key.credential) == bytes(used))
    # A counter that goes backwards means a copied key: refuse it.
    if counter and counter <= key.sign_count:
        devices.count_failure(request.user)
        raise KeyRefused("That key's counter went backwards; ask staff to remove it.")
    SecurityKey.objects.filter(pk=key.pk).update(sign_count=counter)
    devices.forget_failures(request.user)
    login(request, key)
    return key
