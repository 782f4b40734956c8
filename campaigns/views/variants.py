"""The organizer's letter variants: add, edit and retire the other wordings
of a campaign (campaigns/supporters/variants.py shows them to supporters;
the dashboard measures them)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.forms import VariantForm
from campaigns.models import Variant
from campaigns.permissions import get_managed_campaign, organizer_required


@organizer_required
def variant_list(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    form = VariantForm(request.POST or None, campaign=campaign, initial={"label": _next(campaign)})
    if request.method == "POST" and form.is_valid():
        variant = form.save()
        messages.success(
            request,
            _("Variant %(label)s added: new visitors may see it.") % {"label": variant.label},
        )
        return redirect("organizer_variants", slug=campaign.slug)
    return render(
        request,
        "campaigns/organizer/variants.html",
        {"campaign": campaign, "variants": campaign.variants.all(), "form": form},
        status=400 if form.errors else 200,
    )


@organizer_required
def edit_variant(request, slug, variant):
    campaign = get_managed_campaign(request.user, slug)
    variant = get_object_or_404(Variant, pk=variant, campaign=campaign)
    if not variant.is_active or variant.submissions.exists():
        # Its figures must measure one wording.
        messages.error(
            request,
            _(
                "Variant %(label)s has been retired or has letters already, so it cannot change: "
                "add a new variant instead."
            )
            % {"label": variant.label},
        )
        return redirect("organizer_variants", slug=campaign.slug)
    form = VariantForm(request.POST or None, instance=variant, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("organizer_variants", slug=campaign.slug)
    return render(
        request,
        "campaigns/organizer/variant_edit.html",
        {"campaign": campaign, "variant": variant, "form": form},
        status=400 if form.errors else 200,
    )


@organizer_required
@require_POST
def retire_variant(request, slug, variant):
    campaign = get_managed_campaign(request.user, slug)
    variant = get_object_or_404(Variant, pk=variant, campaign=campaign)
    variant.retire()
    messages.success(
        request,
        _("Variant %(label)s is retired: no new supporter sees it, and its figures stay.")
        % {"label": variant.label},
    )
    if request.POST.get("next") == "dashboard":
        return redirect("staff_dashboard", slug=campaign.slug)
    return redirect("organizer_variants", slug=campaign.slug)


def _next(campaign):
    """The first free letter after A, as a label to suggest."""
    taken = {label.upper() for label in campaign.variants.values_list("label", flat=True)}
    return next((letter for letter in "BCDEFGHIJKLMNOPQRSTUVWXYZ" if letter not in taken), "")
