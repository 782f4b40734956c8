"""The organizer's webhooks: register (the secret shown once), turn back on, remove."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaigns.permissions import organizer_required
from webhooks.forms import WebhookForm
from webhooks.models import Delivery, Webhook

RECENT_DELIVERIES = 20


@organizer_required
def webhooks_page(request):
    form = WebhookForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        form.instance.owner = request.user
        created = form.save()
        form = WebhookForm()
    hooks = request.user.webhooks.all()
    recent = (
        Delivery.objects.filter(webhook__owner=request.user)
        .select_related("webhook")
        .order_by("-created_at")[:RECENT_DELIVERIES]
    )
    response = render(
        request,
        "webhooks/webhooks.html",
        {"form": form, "created": created, "hooks": hooks, "recent": recent},
    )
    # A new secret may be in this page.
    response["Cache-Control"] = "no-store"
    return response


@organizer_required
@require_POST
def change_webhook(request, hook_id, action):
    hook = get_object_or_404(Webhook, pk=hook_id, owner=request.user)
    if action == "enable":
        Webhook.objects.filter(pk=hook.pk).update(
            active=True, failures_in_a_row=0, disabled_at=None, disabled_reason=""
        )
        messages.success(request, f"Events go to {hook.url} again.")
    elif action == "delete":
        hook.delete()
        messages.success(request, f"Removed the webhook to {hook.url}.")
    else:
        messages.error(request, "No such change.")
    return redirect("webhooks")
