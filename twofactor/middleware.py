from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from twofactor.policy import ENROLLED, must_verify

# Reachable before the second factor: the 2FA pages themselves, signing out,
# static files, the health check, and the API (tokens, not sessions).
OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/static/", "/healthz", "/api/")


class RequireTwoFactorMiddleware:
    """A signed-in user who must give a second factor and has not yet, in
    this session, gets the code page (or enrolment, without a device)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and must_verify(request)
            and not user.is_verified()
        ):
            step = "twofactor_verify" if request.session.get(ENROLLED) else "twofactor_setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
