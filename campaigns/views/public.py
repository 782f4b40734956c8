"""The supporter's pages: campaign → members → letter → sent."""

from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from campaigns import emails, targets, translations
from campaigns.forms import LetterForm, SupporterForm
from campaigns.models import Campaign, Posting
from campaigns.supporters import (
    kept,
    page,
    progress,
    receipt,
    receipts,
    steps,
    submit,
    variants,
    visits,
)
from committees.targeting import committee_notice

NO_DISTRICT_CHOSEN = _("Choose your district from the list, or enter your street address again.")


def home(request):
    campaigns = Campaign.objects.filter(status=Campaign.Status.LIVE).order_by("-published_at")
    return render(request, "campaigns/home.html", {"campaigns": campaigns})


def public_campaign(slug):
    """The campaign, its texts in the visitor's language where the organizer gave them."""
    try:
        return kept.public_campaign(slug, get_language())
    except Campaign.DoesNotExist:
        raise Http404 from None


def campaign_page(request, slug):
    new_visitor = visits.is_new_visitor(request) and not progress.is_bot(
        request.headers.get("User-Agent", "")
    )
    if request.method == "GET":
        response = page.served_without_database(request, slug, new_visitor)
        if response is not None:
            if new_visitor:
                visits.remember_visitor(response, slug)
            return response
    campaign = public_campaign(slug)
    state = progress.state_of(request.session, campaign)
    held = state.get("variant")
    variant = variants.assign(request, campaign, state)
    if request.method == "POST":
        response = look_up(request, campaign, state)
        variants.remember(request, response, campaign.slug, variant, variants.choices(campaign))
        return response
    tracking = progress.tracking_from(request.GET)
    if tracking:
        state["tracking"] = tracking
    if request.GET.get("change"):
        progress.forget_lookup(state)
    if tracking or request.GET.get("change") or state.get("variant") != held:
        progress.save_state(request.session, campaign, state)
    if new_visitor:
        visits.count(campaign, state.get("tracking", {}).get("source", ""), variant)
    if page.is_first_view(request, state):
        response = page.first_view(
            request,
            campaign,
            lambda fresh: page_context(
                translations.in_language(fresh, get_language()),
                {"variant": variant},
                {},
                SupporterForm(campaign=fresh),
                letters_sent=0,
            ),
            variant=variant,
        )
    else:
        form = SupporterForm(initial=state.get("supporter"), campaign=campaign)
        context = page_context(campaign, state, receipts.of(request), form)
        response = render(request, "campaigns/campaign.html", context)
    if new_visitor:
        visits.remember_visitor(response, campaign.slug)
    variants.remember(request, response, campaign.slug, variant, variants.choices(campaign))
    return response


def look_up(request, campaign, state):
    """Step one, who and where: ends on step two, a choice of district, or errors."""
    form = SupporterForm(request.POST, campaign=campaign)
    status = steps.find_members(request, campaign, state, form)
    if status is None:
        progress.save_state(request.session, campaign, state)
        return redirect(campaign.get_absolute_url() + "#step-2")
    context = page_context(campaign, state, receipts.of(request), form)
    return render(request, "campaigns/campaign.html", context, status=status)


def page_context(campaign, state, sent, form, letter_form=None, step=None, letters_sent=None):
    """sent: what this browser sent (receipts.of, a frame's memory)."""
    context = {
        "campaign": campaign,
        "form": form,
        "accepting": campaign.is_accepting_letters(),
        "progress": progress.progress_shown(
            campaign, progress.letters_sent(campaign) if letters_sent is None else letters_sent
        ),
        "candidates": progress.district_choices(state) if state.get("candidates") else [],
        "address_service": progress.address_service(),
        "candidates_message": state.get("candidates_message", ""),
        "headline": variants.headline(campaign, variants.held(campaign, state)),
    }
    if state.get("lookup") and context["accepting"]:
        step = step or progress.letter_step(campaign, state, sent)
        context.update(
            lookup=state["lookup"],
            members=step.members,
            recipients=step.recipients,
            earlier_letters=step.earlier_letters,
            greetings=step.greetings,
            letter_form=letter_form
            or LetterForm(initial=step.initial, editable=campaign.letter_editable),
            committee_notice=committee_notice(
                campaign, step.represented_by, state.get("write_anyway")
            ),
        )
    return context


@require_POST
def choose_district(request, slug):
    campaign = public_campaign(slug)
    state = progress.state_of(request.session, campaign)
    if not progress.choose_candidate(state, request.POST.get("district", "")):
        form = SupporterForm(initial=state.get("supporter"), campaign=campaign)
        context = page_context(campaign, state, receipts.of(request), form)
        context["district_errors"] = [NO_DISTRICT_CHOSEN]
        return render(request, "campaigns/campaign.html", context, status=400)
    progress.save_state(request.session, campaign, state)
    return redirect(campaign.get_absolute_url() + "#step-2")


@require_POST
def send_letters(request, slug):
    campaign = public_campaign(slug)
    state = progress.state_of(request.session, campaign)
    if not state.get("lookup"):
        messages.error(request, _("Enter your address first, so we know whom to write to."))
        return redirect(campaign.get_absolute_url())
    if not campaign.is_accepting_letters():
        return redirect(campaign.get_absolute_url())
    form = LetterForm(request.POST, editable=campaign.letter_editable)
    sent = receipts.of(request)
    sending = steps.send(request, campaign, state, sent, form)
    if sending.thanks is not None:
        thanks = redirect("campaign_thanks", slug=campaign.slug, submission=sending.thanks)
        return receipts.keep(request, thanks)
    if sending.status is None:
        return redirect(campaign.get_absolute_url())
    # Only a refused send shows the page again: a sent one skips its queries.
    supporter_form = SupporterForm(initial=state["supporter"], campaign=campaign)
    context = page_context(campaign, state, sent, supporter_form, form, sending.step)
    return render(request, "campaigns/campaign.html", context, status=sending.status)


def thanks(request, slug, submission):
    campaign = public_campaign(slug)
    if not progress.sent_by_this_browser(receipts.of(request), submission):
        # Only the browser that sent the letters sees to whom they went.
        return render(request, "campaigns/thanks.html", {"campaign": campaign})
    try:
        found, letters, preparing = receipt.thanks_for(campaign, submission)
    except Posting.DoesNotExist:
        raise Http404 from None
    context = {
        "campaign": campaign,
        "submission": found,
        "receipt": letters,
        "preparing": preparing,
    }
    # site.js asks again every few seconds for just the letters' part.
    part = "#letters" if "letters" in request.GET and letters else ""
    template = "campaigns/thanks.html" + part
    return render(request, template, context)


def confirm(request, slug, token):
    """The link in the confirmation email. A GET only shows a button: mail
    scanners follow links, and must not send letters by doing so."""
    campaign = public_campaign(slug)
    try:
        submission = emails.submission_for_token(token, campaign)
    except signing.BadSignature:
        return render(request, "campaigns/confirm.html", {"campaign": campaign}, status=400)
    if request.method == "POST":
        submit.confirm(submission)
        progress.remember_submission(receipts.of(request), submission)
        thanks = redirect("campaign_thanks", slug=campaign.slug, submission=submission.uuid)
        return receipts.keep(request, thanks)
    return render(
        request, "campaigns/confirm.html", {"campaign": campaign, "submission": submission}
    )


def confirm_target(request, token):
    """The link emailed to a custom target's address. A GET only shows a
    button (mail scanners follow links); the POST verifies the address."""
    try:
        target = targets.target_for_token(token)
    except signing.BadSignature:
        return render(request, "campaigns/target_confirm.html", status=400)
    if request.method == "POST":
        targets.verify(target)
        return redirect("target_confirm", token=token)
    return render(request, "campaigns/target_confirm.html", {"target": target})
