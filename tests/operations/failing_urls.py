"""A view that fails with a supporter's details in the request, for the Sentry test."""

from django.urls import path


class LetterWentWrong(Exception):
    pass


def fail(request):
    letter = request.POST.get("body", "")  # a local variable Sentry must not send
    raise LetterWentWrong(f"could not send a letter of {len(letter)} characters")


urlpatterns = [path("fail/", fail)]
