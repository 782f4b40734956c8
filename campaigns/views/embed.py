"""The supporter's pages inside a partner's frame, without cookies: the
flow token replaces the session (see campaigns/supporters/frames.py). The
views are exempt from Django's CSRF cookie check because every post goes
through frames.resume, which checks the token and the sender instead."""

from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns import translations
from campaigns.forms import LetterForm, SupporterForm
from campaigns.models import Posting
from campaigns.supporters import frames, page, progress, receipt, steps, visits
from campaigns.views.public import NO_DISTRICT_CHOSEN, page_context, public_campaign

TEMPLATE = "campaigns/embed/campaign.html"
NO_LOOKUP = _("Enter your address first, so we know whom to write to.")


def page_key(slug):
    # One kept frame per language, as for the campaign page.
    return f"campaign-embed:{slug}:{translation.get_language()}"


@csrf_exempt
def embed_page(request, slug):
    """The first step. Every load of it is a visit: with no cookie, a
    reload cannot be told from a new visitor."""
    campaign = public_campaign(slug)
    if request.method == "POST":
        return _step(request, campaign, look_up)
    flow = frames.start(request, campaign)
    changing = bool(request.GET.get("change"))
    if not changing and not progress.is_bot(request.headers.get("User-Agent", "")):
        visits.count(campaign, flow.source)

    def context(fresh):
        form = SupporterForm(campaign=fresh)
        # Nothing of this visitor's in the kept page: their flow is filled in.
        blank = frames.Flow(fresh).urls()
        fresh = translations.in_language(fresh, translation.get_language())
        return page_context(fresh, {}, {}, form, letters_sent=0) | {"embed": blank}

    response = page.first_view(
        request,
        campaign,
        context,
        template=TEMPLATE,
        key=page_key(campaign.slug),
        fills={"csrf_token": flow.token(), "parent_origin": escape(flow.parent)},
    )
    return frames.framed(request, response, campaign)


@csrf_exempt
@require_POST
def embed_district(request, slug):
    return _step(request, public_campaign(slug), choose_district)


@csrf_exempt
@require_POST
def embed_send(request, slug):
    return _step(request, public_campaign(slug), send_letters)


def _step(request, campaign, view):
    """A post goes on only with the flow it carries; else the first step, saying why."""
    try:
        flow = frames.resume(request, campaign)
    except frames.Refused as refused:
        form = SupporterForm(campaign=campaign)
        response = _render(
            request, refused.flow, form, status=refused.status, errors=[refused.message]
        )
    else:
        response = view(request, campaign, flow)
    return frames.framed(request, response, campaign)


def look_up(request, campaign, flow):
    form = SupporterForm(request.POST, campaign=campaign)
    status = steps.find_members(request, campaign, flow.state, form)
    if status is None:
        # Step two at once: the progress is in the page, not behind a redirect.
        form = SupporterForm(initial=flow.state["supporter"], campaign=campaign)
        return _render(request, flow, form)
    return _render(request, flow, form, status=status)


def choose_district(request, campaign, flow):
    form = SupporterForm(initial=flow.state.get("supporter"), campaign=campaign)
    if not progress.choose_candidate(flow.state, request.POST.get("district", "")):
        return _render(request, flow, form, status=400, district_errors=[NO_DISTRICT_CHOSEN])
    return _render(request, flow, form)


def send_letters(request, campaign, flow):
    if not flow.state.get("lookup") or not campaign.is_accepting_letters():
        errors = [NO_LOOKUP] if campaign.is_accepting_letters() else []
        return _render(request, flow, SupporterForm(campaign=campaign), status=400, errors=errors)
    form = LetterForm(request.POST, editable=campaign.letter_editable)
    sending = steps.send(request, campaign, flow.state, flow.memory, form)
    if sending.thanks is not None:
        token = frames.receipt_token(campaign, sending.thanks, flow.parent)
        return redirect("campaign_embed_thanks", campaign.slug, sending.thanks, token)
    supporter_form = SupporterForm(initial=flow.state["supporter"], campaign=campaign)
    if sending.status is None:
        # Nothing left to write: the members step says so.
        return _render(request, flow, supporter_form)
    return _render(request, flow, supporter_form, form, sending.step, status=sending.status)


def _render(request, flow, form, letter_form=None, step=None, status=200, **extra):
    campaign = flow.campaign
    context = page_context(campaign, flow.state, flow.memory, form, letter_form, step) | {
        "embed": flow.urls(),
        "parent_origin": flow.parent,
        # The flow token goes where {% csrf_token %} puts Django's.
        "csrf_token": flow.token(),
        **extra,
    }
    return render(request, TEMPLATE, context, status=status)


def thanks(request, slug, submission, token):
    """The thank-you page: its letters only for the frame that sent them."""
    campaign = public_campaign(slug)
    parent = frames.read_receipt(campaign, submission, token)
    flow = frames.Flow(campaign, parent or "")
    context = {"campaign": campaign, "embed": flow.urls(), "parent_origin": flow.parent}
    if parent is not None:
        try:
            found, letters, preparing = receipt.thanks_for(campaign, submission)
        except Posting.DoesNotExist:
            pass
        else:
            context |= {"submission": found, "receipt": letters, "preparing": preparing}
    template = "campaigns/embed/thanks.html"
    if "letters" in request.GET and context.get("receipt"):
        template = "campaigns/thanks.html#letters"
    response = render(request, template, context)
    return frames.framed(request, response, campaign)
