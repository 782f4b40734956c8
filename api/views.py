"""The organizer's API tokens: issue (shown once), list, revoke."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from api import tokens
from api.forms import TokenForm
from api.models import ApiToken
from campaigns.permissions import organizer_required


@organizer_required
def tokens_page(request):
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        _token, issued = tokens.issue(
            request.user, form.cleaned_data["name"], form.cleaned_data["scope"]
        )
        form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "issued": issued, "tokens": request.user.api_tokens.all()},
    )
    # A new token is in this page: keep it out of every cache.
    response["Cache-Control"] = "no-store"
    return response


@organizer_required
@require_POST
def revoke_token(request, token_id):
    token = get_object_or_404(ApiToken, pk=token_id, owner=request.user)
    tokens.revoke(token)
    messages.success(request, f"Revoked {token}. Requests with it now get a 401.")
    return redirect("api_tokens")
