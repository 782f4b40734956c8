"""Two-factor pages: enrol an authenticator app, give a code after the
password, and replace recovery codes."""

import json

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from twofactor import devices, webauthn
from twofactor.forms import CodeForm, EnrolForm
from twofactor.models import SecurityKey
from twofactor.policy import remember_enrolled


def _next(request, target=None):
    target = target or request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


def _no_store(response):
    # Secrets and recovery codes are on these pages.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def setup(request):
    if devices.has_totp(request.user):
        keys = SecurityKey.objects.filter(user=request.user, confirmed=True)
        return render(request, "twofactor/enrolled.html", {"keys": keys})
    device = devices.pending_device(request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = devices.confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            remember_enrolled(request)
            return _no_store(
                render(
                    request,
                    "twofactor/recovery_codes.html",
                    {"codes": codes, "next": _next(request)},
                )
            )
        form.add_error(
            "code",
            _(
                "That code is not the one the app shows now: try the newest one (after a wrong "
                "code, wait a few seconds)."
            ),
        )
    context = {
        "form": form,
        "qr_code": devices.qr_code(device),
        "secret": devices.readable_secret(device),
        "next": _next(request),
    }
    return _no_store(render(request, "twofactor/setup.html", context))


@login_required
def verify(request):
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = devices.verify(request, form.cleaned_data["code"])
        except devices.TooManyFailures:
            form.add_error(
                None, _("Too many wrong codes. Wait a quarter of an hour, then try again.")
            )
            status = 429
        else:
            if device is not None:
                return redirect(_next(request))
            form.add_error("code", _("That code is wrong or already used."))
            status = 400
    has_key = SecurityKey.objects.filter(user=request.user, confirmed=True).exists()
    context = {"form": form, "next": _next(request), "has_key": has_key}
    return render(request, "twofactor/verify.html", context, status=status)


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes, after a second factor in this session."""
    if not request.user.is_verified():
        return redirect("twofactor_verify")
    codes = devices.new_recovery_codes(request.user)
    return _no_store(
        render(request, "twofactor/recovery_codes.html", {"codes": codes, "next": "/"})
    )


def _json_body(request):
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@login_required
@require_POST
def key_register_options(request):
    """Options for adding a security key, after a second factor in this session."""
    if not request.user.is_verified():
        return JsonResponse({"error": _("Sign in with a code first.")}, status=403)
    return JsonResponse(webauthn.registration_options(request))


@login_required
@require_POST
def key_register(request):
    if not request.user.is_verified():
        return JsonResponse({"error": _("Sign in with a code first.")}, status=403)
    body = _json_body(request)
    if body is None or not isinstance(body.get("credential"), dict):
        return JsonResponse({"error": _("Send the key's answer as JSON.")}, status=400)
    try:
        key = webauthn.register(request, body["credential"], str(body.get("name", "")))
    except webauthn.KeyRefused as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"name": key.name})


@login_required
@require_POST
def key_verify_options(request):
    options = webauthn.authentication_options(request)
    if options is None:
        return JsonResponse({"error": _("You have no security key: use a code.")}, status=400)
    return JsonResponse(options)


@login_required
@require_POST
def key_verify(request):
    body = _json_body(request)
    if body is None or not isinstance(body.get("credential"), dict):
        return JsonResponse({"error": _("Send the key's answer as JSON.")}, status=400)
    try:
        webauthn.authenticate(request, body["credential"])
    except devices.TooManyFailures:
        return JsonResponse(
            {"error": _("Too many failed tries. Wait a quarter of an hour.")}, status=429
        )
    except webauthn.KeyRefused as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"next": _next(request, str(body.get("next") or ""))})
