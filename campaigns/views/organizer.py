from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from campaigns.drafting import authoring, fetch
from campaigns.drafting.preview import sample_preview
from campaigns.forms import CampaignForm, CustomTargetFormSet, ReleaseForm
from campaigns.permissions import get_managed_campaign, managed_campaigns, organizer_required
from committees.targeting import committee_notice

STATUS_ACTIONS = {
    "publish": authoring.publish,
    "close": authoring.close,
    "reopen": authoring.reopen,
}


@organizer_required
def campaign_list(request):
    campaigns = managed_campaigns(request.user).order_by("-created_at")
    return render(request, "campaigns/organizer/list.html", {"campaigns": campaigns})


@organizer_required
def new_campaign(request):
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        url = form.cleaned_data["url"]
        try:
            text = authoring.read_release(text=form.cleaned_data["text"], url=url)
        except fetch.ReleaseFetchError as error:
            form.add_error("url", str(error))
        else:
            if not text.strip():
                form.add_error(None, "The release has no text.")
            else:
                campaign = authoring.create_draft(text=text, url=url, owner=request.user)
                messages.success(request, "Here is your draft. Check every field, then preview.")
                return redirect("organizer_edit", slug=campaign.slug)
    return render(request, "campaigns/organizer/new.html", {"form": form})


@organizer_required
def edit_campaign(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    form = CampaignForm(request.POST or None, instance=campaign)
    targets = CustomTargetFormSet(request.POST or None, instance=campaign, prefix="targets")
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        with transaction.atomic():
            campaign = form.save()
            targets.save()
        messages.success(request, "Saved.")
        return redirect("organizer_edit", slug=campaign.slug)
    facts = campaign.release_facts or {}
    return render(
        request,
        "campaigns/organizer/edit.html",
        {
            "campaign": campaign,
            "form": form,
            "targets": targets,
            "facts": facts,
            "notes": facts.get("notes", []),
        },
    )


@organizer_required
def preview_campaign(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    preview = sample_preview(campaign, request.GET.get("zip", ""))
    notice = committee_notice(campaign, preview.members)
    return render(
        request,
        "campaigns/organizer/preview.html",
        {"campaign": campaign, "preview": preview, "committee_notice": notice},
    )


@organizer_required
@require_POST
def change_status(request, slug, action):
    campaign = get_managed_campaign(request.user, slug)
    if action not in STATUS_ACTIONS and action != "clone":
        raise Http404("No such action.")
    if action == "clone":
        copy = authoring.clone(campaign, owner=request.user)
        messages.success(request, f"Cloned as a new draft: {copy.title}")
        return redirect("organizer_edit", slug=copy.slug)
    STATUS_ACTIONS[action](campaign)
    messages.success(request, f"The campaign is now {campaign.get_status_display().lower()}.")
    return redirect("organizer_edit", slug=campaign.slug)
