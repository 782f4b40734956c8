"""The language a page is shown in.

Django's LocaleMiddleware picks it from the language cookie, else the
browser's Accept-Language. A `?lang=es` or `?lang=en` link on any page
overrides both and keeps the choice in that cookie, not in the session: a
visitor who only picked a language still gets the cached campaign page.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

LANGUAGE_PARAMETER = "lang"


def chosen_language(request):
    """The language a ?lang= link asks for, or None (absent or not offered)."""
    code = request.GET.get(LANGUAGE_PARAMETER, "")
    return code if code in dict(settings.LANGUAGES) else None


class LanguageFromLink:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = chosen_language(request)
        if chosen:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        response = self.get_response(request)
        if chosen:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        # The language cookie changes the page as much as Accept-Language does
        # (which LocaleMiddleware adds to Vary).
        patch_vary_headers(response, ("Cookie",))
        return response
