from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaigns import targets as custom_targets
from campaigns import tasks
from campaigns.drafting import authoring
from campaigns.drafting.draft import repeat_warnings
from campaigns.drafting.preview import sample_preview
from campaigns.forms import (
    CampaignForm,
    CampaignTranslationForm,
    CustomTargetFormSet,
    ReleaseForm,
)
from campaigns.models import ReleaseImport
from campaigns.permissions import get_managed_campaign, managed_campaigns, organizer_required
from campaigns.translations import other_language, save_translation
from committees.targeting import committee_notice
from config import throttle

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
    """Pasted text drafts at once; an address is fetched by a worker while
    the organizer waits on the import's page."""
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        text, url = form.cleaned_data["text"].strip(), form.cleaned_data["url"]
        if text:
            campaign = authoring.create_draft(text=text, url=url, owner=request.user)
            messages.success(request, _("Here is your draft. Check every field, then preview."))
            return redirect("organizer_edit", slug=campaign.slug)
        if not throttle.allow(
            "release-fetch", request.user.pk, settings.RELEASE_FETCHES_PER_HOUR, 3600
        ):
            form.add_error(
                "url",
                _(
                    "You have had us fetch many pages this hour. "
                    "Paste the release text instead, or try again later."
                ),
            )
            return render(request, "campaigns/organizer/new.html", {"form": form}, status=429)
        release_import = authoring.start_import(url=url, owner=request.user)
        tasks.import_release.delay_on_commit(release_import.pk)
        return redirect("organizer_import", release_import=release_import.uuid)
    return render(request, "campaigns/organizer/new.html", {"form": form})


@organizer_required
def release_import(request, release_import):
    """The wait for a fetched release: refreshes itself until the draft is
    ready (then goes there) or the fetch failed (then says why)."""
    mine = {} if request.user.is_staff else {"organizer": request.user}
    release_import = get_object_or_404(ReleaseImport, uuid=release_import, **mine)
    if release_import.campaign_id:
        messages.success(request, _("Here is your draft. Check every field, then preview."))
        return redirect("organizer_edit", slug=release_import.campaign.slug)
    if release_import.waited_too_long():
        error = _("Fetching that page is taking far too long. Paste the release text instead.")
    elif release_import.status == ReleaseImport.Status.DRAFTED:
        error = _("The draft made from that page has been deleted.")
    else:
        error = release_import.error
    form = ReleaseForm(initial={"url": release_import.url})
    return render(
        request,
        "campaigns/organizer/importing.html",
        {"release_import": release_import, "error": error, "form": form},
    )


@organizer_required
def edit_campaign(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    form = CampaignForm(request.POST or None, request.FILES or None, instance=campaign)
    targets = CustomTargetFormSet(request.POST or None, instance=campaign, prefix="targets")
    translated = CampaignTranslationForm(
        request.POST or None,
        instance=campaign.translations.filter(language=other_language(campaign)).first(),
        prefix="translation",
    )
    if request.method == "POST" and all(
        [form.is_valid(), targets.is_valid(), translated.is_valid()]
    ):
        with transaction.atomic():
            campaign = form.save()
            save_translation(campaign, translated.cleaned_data)
            for target in targets.save():
                if not target.is_verified:
                    tasks.ask_target_to_confirm.delay_on_commit(target.pk)
        messages.success(request, _("Saved."))
        return redirect("organizer_edit", slug=campaign.slug)
    facts = campaign.release_facts or {}
    return render(
        request,
        "campaigns/organizer/edit.html",
        {
            "campaign": campaign,
            "form": form,
            "targets": targets,
            "translated": translated,
            "translated_language": other_language(campaign).label,
            "facts": facts,
            "notes": [
                *facts.get("notes", []),
                *repeat_warnings(summary=campaign.summary, letter=campaign.letter_body),
            ],
        },
    )


@organizer_required
@require_POST
def choose_ask(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    try:
        authoring.choose_ask(campaign, request.POST.get("sentence", ""))
    except authoring.UnknownAsk as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Drafted again around the ask you chose. Check every field."))
    return redirect("organizer_edit", slug=campaign.slug)


@organizer_required
def preview_campaign(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    preview = sample_preview(campaign, request.GET.get("zip", ""))
    notice = committee_notice(campaign, preview.represented_by)
    return render(
        request,
        "campaigns/organizer/preview.html",
        {"campaign": campaign, "preview": preview, "committee_notice": notice},
    )


@organizer_required
@require_POST
def change_status(request, slug, action):
    campaign = get_managed_campaign(request.user, slug)
    if action not in STATUS_ACTIONS and action not in ("clone", "confirm-targets"):
        raise Http404("No such action.")
    if action == "clone":
        copy = authoring.clone(campaign, owner=request.user)
        for target in copy.custom_targets.all():
            tasks.ask_target_to_confirm.delay_on_commit(target.pk)
        messages.success(request, _("Cloned as a new draft: %(title)s") % {"title": copy.title})
        return redirect("organizer_edit", slug=copy.slug)
    if action == "confirm-targets":
        waiting = list(campaign.custom_targets.unverified())
        for target in waiting:
            tasks.ask_target_to_confirm.delay_on_commit(target.pk)
        messages.success(
            request,
            ngettext(
                "We emailed the link again to %(count)d address.",
                "We emailed the link again to %(count)d addresses.",
                len(waiting),
            )
            % {"count": len(waiting)},
        )
        return redirect("organizer_edit", slug=campaign.slug)
    try:
        STATUS_ACTIONS[action](campaign)
    except custom_targets.UnverifiedTargets as refused:
        messages.error(request, str(refused))
        return redirect("organizer_edit", slug=campaign.slug)
    messages.success(
        request,
        _("The campaign is now %(status)s.") % {"status": campaign.get_status_display().lower()},
    )
    return redirect("organizer_edit", slug=campaign.slug)
