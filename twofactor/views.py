"""Two-factor pages: enrol an authenticator app, give a code after the
password, and replace recovery codes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from twofactor import devices
from twofactor.forms import CodeForm, EnrolForm
from twofactor.policy import remember_enrolled


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or "/"
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
        return render(request, "twofactor/enrolled.html")
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
            "That code is not the one the app shows now: try the newest one (after a wrong "
            "code, wait a few seconds).",
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
            form.add_error(None, "Too many wrong codes. Wait a quarter of an hour, then try again.")
            status = 429
        else:
            if device is not None:
                return redirect(_next(request))
            form.add_error("code", "That code is wrong or already used.")
            status = 400
    return render(
        request, "twofactor/verify.html", {"form": form, "next": _next(request)}, status=status
    )


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
