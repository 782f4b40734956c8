from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from campaigns.permissions import get_managed_campaign, organizer_required
from campaigns.supporters import progress
from campaigns.views.public import public_campaign
from committees import choosing
from committees.models import Committee
from committees.targeting import target_committees, targeting_of


@require_POST
def write_anyway(request, slug):
    """The supporter whose members sit on none of the committees writes to them anyway."""
    campaign = public_campaign(slug)
    state = progress.state_of(request.session, campaign)
    if state.get("lookup"):
        state["write_anyway"] = True
        progress.save_state(request.session, campaign, state)
    return redirect(campaign.get_absolute_url() + "#step-2")


@organizer_required
def campaign_committees(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    if request.method == "POST":
        return _change(request, campaign)
    query = request.GET.get("q", "").strip()[:100]
    targeting = targeting_of(campaign)
    return render(
        request,
        "committees/choose.html",
        {
            "campaign": campaign,
            "query": query,
            "results": choosing.search(query),
            "chosen": target_committees(campaign),
            "write_anyway": bool(targeting and targeting.write_anyway),
        },
    )


def _change(request, campaign):
    action = request.POST.get("action")
    if action == "write_anyway":
        allowed = request.POST.get("allowed") == "on"
        choosing.set_write_anyway(campaign, allowed)
        messages.success(
            request,
            "Supporters whose members sit on none of the committees may write to their own members."
            if allowed
            else "Only committee members get letters.",
        )
    elif action in ("add", "remove"):
        committee = get_object_or_404(Committee, code=request.POST.get("code", ""))
        if action == "add":
            choosing.add_committee(campaign, committee)
            messages.success(request, f"Letters go to members of the {committee.full_name}.")
        else:
            choosing.remove_committee(campaign, committee)
            messages.success(request, f"Removed the {committee.full_name}.")
    else:
        messages.error(request, "Choose a committee to add or remove.")
    return redirect("organizer_committees", slug=campaign.slug)
