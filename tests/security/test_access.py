"""Who may see or change what: every URL of the project, as every kind of visitor.

The URLs come from the resolver, so a new URL without a row in ACCESS fails
here until someone decides who may use it. The admin has its own permission
system, tested with the admin actions.
"""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api import tokens
from campaigns.models import Campaign, Letter, Submission, Supporter, Variant
from tests.campaigns.conftest import ADDRESS, BROWSER
from tests.security.conftest import PERSONAS, client_for, sent_letters
from webhooks.models import Webhook

pytestmark = [pytest.mark.django_db]
URLCONF = "config.urls"

# What each persona gets: a page, a redirect to log in, a refusal, a 404 that
# hides the campaign, a wrong method, a 400, or a redirect after doing it.
OK, LOGIN, FORBIDDEN, MISSING, NOT_ALLOWED, BAD, DONE = (
    "ok", "login", "forbidden", "missing", "not allowed", "bad", "done",
)  # fmt: skip
# The JSON API takes tokens, never the session: every persona here is a 401
# to it (tests/api/ walks the tokens).
NO_TOKEN = "no token"
STATUS = {OK: 200, LOGIN: 302, FORBIDDEN: 403, MISSING: 404, NOT_ALLOWED: 405, BAD: 400, DONE: 302}
STATUS[NO_TOKEN] = 401
REFUSED = {LOGIN, FORBIDDEN, MISSING, NOT_ALLOWED, BAD, NO_TOKEN}


def everyone(outcome):
    return dict.fromkeys(PERSONAS, outcome)


def organizers(outcome, *, user=FORBIDDEN, **others):
    """Anonymous visitors and supporters log in first; a user who organizes
    nothing is refused; organizers get `outcome` unless `others` says."""
    return {
        "anonymous": LOGIN,
        "supporter": LOGIN,
        "user": user,
        "other_organizer": outcome,
        "owner": outcome,
        "staff": outcome,
        "staff_no_pii": outcome,
    } | others


def signed_in(outcome):
    """Visitors without an account log in first; everyone else gets `outcome`."""
    return everyone(outcome) | {"anonymous": LOGIN, "supporter": LOGIN}


# URL name -> method -> persona -> outcome. Every URL is about the world's
# campaign (owned by "owner") and its supporter's submission.
ACCESS = {
    "healthz": {"GET": everyone(OK)},
    # The address decides, not the login: the test client is 127.0.0.1, in
    # METRICS_ALLOWED_NETWORKS; tests/operations/test_metrics.py refuses others.
    "metrics": {"GET": everyone(OK)},
    "login": {"GET": everyone(OK)},
    "logout": {"GET": everyone(NOT_ALLOWED), "POST": everyone(OK)},
    "home": {"GET": everyone(OK)},
    "legislators:lookup": {"GET": everyone(OK), "POST": everyone(NOT_ALLOWED)},
    # The supporter's pages are public; what they show depends on the session.
    "campaign": {"GET": everyone(OK), "POST": everyone(DONE)},
    # Without a district chosen, the chooser comes back with its error.
    "campaign_district": {"GET": everyone(NOT_ALLOWED), "POST": everyone(BAD)},
    # Without a looked-up address there is nothing to send; the supporter's
    # empty form is refused.
    "campaign_send": {"GET": everyone(NOT_ALLOWED), "POST": everyone(DONE) | {"supporter": BAD}},
    "campaign_thanks": {"GET": everyone(OK)},
    # The embed: public like the page; a post without the flow's signed token
    # (which stands in for the session and the CSRF cookie) is forbidden, as
    # a post without a CSRF token is on the page.
    "campaign_embed": {"GET": everyone(OK), "POST": everyone(FORBIDDEN)},
    "campaign_embed_district": {"GET": everyone(NOT_ALLOWED), "POST": everyone(FORBIDDEN)},
    "campaign_embed_send": {"GET": everyone(NOT_ALLOWED), "POST": everyone(FORBIDDEN)},
    # The page shows letters only with the receipt token of the frame that sent them.
    "campaign_embed_thanks": {"GET": everyone(OK)},
    # The signed token is the permission: whoever has the link may confirm.
    "campaign_confirm": {"GET": everyone(OK), "POST": everyone(DONE)},
    # The signed token is the permission: the address's owner may confirm it.
    "target_confirm": {"GET": everyone(OK), "POST": everyone(DONE)},
    # Only changes this browser's own session.
    "campaign_write_anyway": {"GET": everyone(NOT_ALLOWED), "POST": everyone(DONE)},
    "organizer_list": {"GET": organizers(OK)},
    "organizer_new": {"GET": organizers(OK), "POST": organizers(DONE)},
    # A release being fetched is its organizer's (and staff's) alone.
    "organizer_import": {"GET": organizers(OK, other_organizer=MISSING)},
    "organizer_edit": {
        "GET": organizers(OK, other_organizer=MISSING),
        "POST": organizers(DONE, other_organizer=MISSING),
    },
    "organizer_preview": {"GET": organizers(OK, other_organizer=MISSING)},
    "organizer_committees": {
        "GET": organizers(OK, other_organizer=MISSING),
        "POST": organizers(DONE, other_organizer=MISSING),
    },
    # Hand-delivery packets: the PDFs hold supporters' names and addresses.
    "organizer_packets": {"GET": organizers(OK, other_organizer=MISSING)},
    "organizer_packet_build": {
        "GET": organizers(NOT_ALLOWED),
        "POST": organizers(DONE, other_organizer=MISSING),
    },
    "organizer_packet_download": {"GET": organizers(OK, other_organizer=MISSING)},
    "organizer_packet_delivered": {
        "GET": organizers(NOT_ALLOWED),
        "POST": organizers(DONE, other_organizer=MISSING),
    },
    # The signed token is the permission: the supporter it was emailed to answers.
    "follow_up_answer": {"GET": everyone(OK), "POST": everyone(OK)},
    "organizer_action": {
        "GET": organizers(NOT_ALLOWED),
        "POST": organizers(DONE, other_organizer=MISSING),
    },
    # Draft again around another candidate ask: the campaign's organizers only.
    "organizer_choose_ask": {
        "GET": organizers(NOT_ALLOWED),
        "POST": organizers(DONE, other_organizer=MISSING),
    },
    # A campaign's letter variants: its organizers only.
    "organizer_variants": {
        "GET": organizers(OK, other_organizer=MISSING),
        "POST": organizers(DONE, other_organizer=MISSING),
    },
    "organizer_variant_edit": {
        "GET": organizers(OK, other_organizer=MISSING),
        "POST": organizers(DONE, other_organizer=MISSING),
    },
    "organizer_variant_retire": {
        "GET": organizers(NOT_ALLOWED),
        "POST": organizers(DONE, other_organizer=MISSING),
    },
    "api_tokens": {"GET": organizers(OK), "POST": organizers(OK)},
    # The owner's own token: nobody else can even see that it exists.
    "api_token_revoke": {
        "GET": organizers(NOT_ALLOWED),
        "POST": organizers(MISSING, owner=DONE),
    },
    # Anyone with an account may add a second factor (a bad code shows the form again).
    "twofactor_setup": {"GET": signed_in(OK), "POST": signed_in(OK)},
    "twofactor_verify": {"GET": signed_in(OK), "POST": signed_in(OK)},
    # New recovery codes need a second factor in this session first.
    "twofactor_recovery": {"GET": signed_in(NOT_ALLOWED), "POST": signed_in(DONE)},
    # Security keys answer JSON: adding one needs a second factor first (403),
    # using one needs a key (400) or the answer to a challenge (400).
    "key_add_options": {"GET": signed_in(NOT_ALLOWED), "POST": signed_in(FORBIDDEN)},
    "key_add": {"GET": signed_in(NOT_ALLOWED), "POST": signed_in(FORBIDDEN)},
    "key_verify_options": {"GET": signed_in(NOT_ALLOWED), "POST": signed_in(BAD)},
    "key_verify": {"GET": signed_in(NOT_ALLOWED), "POST": signed_in(BAD)},
    "webhooks": {"GET": organizers(OK), "POST": organizers(OK)},
    "webhook_change": {
        "GET": organizers(NOT_ALLOWED),
        "POST": organizers(MISSING, owner=DONE),
    },
    "api-v1:api-root": {"GET": everyone(MISSING)},
    "api-v1:openapi-json": {"GET": everyone(OK)},
    "api-v1:list_campaigns": {"GET": everyone(NO_TOKEN), "POST": everyone(NO_TOKEN)},
    "api-v1:create_campaign": {"GET": everyone(NO_TOKEN), "POST": everyone(NO_TOKEN)},
    "api-v1:get_campaign": {"GET": everyone(NO_TOKEN)},
    "api-v1:publish_campaign": {"GET": everyone(NOT_ALLOWED), "POST": everyone(NO_TOKEN)},
    "api-v1:close_campaign": {"GET": everyone(NOT_ALLOWED), "POST": everyone(NO_TOKEN)},
    "api-v1:list_submissions": {"GET": everyone(NO_TOKEN)},
    "api-v1:list_letters": {"GET": everyone(NO_TOKEN)},
    "api-v1:get_import": {"GET": everyone(NO_TOKEN)},
    "staff_overview": {"GET": organizers(OK)},
    "staff_dashboard": {"GET": organizers(OK, other_organizer=MISSING)},
    "staff_letters_csv": {"GET": organizers(OK, other_organizer=MISSING)},
    "staff_attempts_csv": {"GET": organizers(OK, other_organizer=MISSING)},
    # Personal data: campaigns.view_supporter as well as the campaign.
    "staff_supporters_csv": {
        "GET": organizers(FORBIDDEN, staff=OK),
    },
}


def named_patterns(patterns, namespace=""):
    """(name, names of its URL parameters) for every named URL but the admin's."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", tuple(entry.pattern.converters)


URL_PARAMETERS = dict(named_patterns(get_resolver(URLCONF).url_patterns))
# A URL missing from ACCESS still gets a GET, which fails until the table says who may use it.
WALK = [
    (name, method) for name in sorted(URL_PARAMETERS) for method in ACCESS.get(name, {"GET": 0})
]


def test_every_row_of_the_table_is_a_url():
    assert set(ACCESS) <= set(URL_PARAMETERS), set(ACCESS) - set(URL_PARAMETERS)


def url_for(name, world):
    values = {
        "slug": world.campaign.slug,
        "submission": world.submission.uuid,
        "token": {
            "target_confirm": lambda: world.target_token,
            "follow_up_answer": lambda: world.follow_up_token,
        }.get(name, lambda: world.token)(),
        "action": "close",
        "release_import": world.release_import.uuid,
        "uuid": world.release_import.uuid,
    }
    if "packet" in URL_PARAMETERS[name]:
        values["packet"] = world.packet.uuid
    if "token_id" in URL_PARAMETERS[name]:
        values["token_id"] = tokens.issue(world.campaign.owner, "CRM")[0].pk
    if "variant" in URL_PARAMETERS[name]:
        values["variant"] = Variant.objects.get_or_create(
            campaign=world.campaign, label="B", defaults={"headline": "Another headline"}
        )[0].pk
    if "hook_id" in URL_PARAMETERS[name]:
        owner = world.campaign.owner
        values["hook_id"] = Webhook.objects.create(owner=owner, url="https://a.example/").pk
        values["action"] = "enable"
    kwargs = {parameter: values[parameter] for parameter in URL_PARAMETERS[name]}
    url = reverse(name, urlconf=URLCONF, kwargs=kwargs)
    return url + ("?zip=05401" if name == "legislators:lookup" else "")


RELEASE = """Water Alliance Urges Congress to Pass the Clean Water Act

WASHINGTON, June 3, 2026 — The Water Alliance today called on Congress to pass H.R. 1234,
the Clean Water Act, which would fund lead pipe replacement in every state.
"""


def post_data(name, world):
    """A valid form for each view that changes something."""
    campaign = world.campaign
    if name == "campaign":
        return ADDRESS | {"email": "new@example.org"}
    if name == "organizer_new":
        return {"text": RELEASE}
    if name == "organizer_packet_build":
        return {"office": f"legislator:{world.submission.letters.first().legislator_id}"}
    if name in ("organizer_variants", "organizer_variant_edit"):
        label = "C" if name == "organizer_variants" else "B"
        return {"label": label, "headline": "A headline to try"}
    if name == "organizer_edit":
        return {
            "title": "Changed title",
            "slug": campaign.slug,
            "summary": campaign.summary,
            "call_to_action": campaign.call_to_action,
            "targets": campaign.targets,
            "letter_subject": campaign.letter_subject,
            "letter_body": campaign.letter_body,
            "letter_editable": "on",
            "topic": campaign.topic,
            "targets-TOTAL_FORMS": "0",
            "targets-INITIAL_FORMS": "0",
        }
    return {}


def snapshot():
    """What a refused request must leave alone."""
    return (
        list(Campaign.objects.order_by("pk").values()),
        list(Supporter.objects.order_by("pk").values()),
        list(Submission.objects.order_by("pk").values_list("pk", flat=True)),
        list(Letter.objects.order_by("pk").values_list("pk", "status")),
    )


def outcome(response):
    for name, status in STATUS.items():
        if response.status_code != status:
            continue
        if status != 302 or (name == LOGIN) == response["Location"].startswith("/accounts/login/"):
            return name
    return response.status_code


@pytest.mark.parametrize(("name", "method"), WALK)
def test_access(world, name, method):
    expected = ACCESS.get(name, {}).get(method)
    assert expected, f"Add {name!r} to ACCESS: who may use it?"
    url = url_for(name, world)
    wrong = []
    for persona in PERSONAS:
        # Each persona starts from the same rows: what one changes is rolled back.
        with transaction.atomic():
            client = client_for(persona, world)
            before = snapshot()
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, post_data(name, world))
            if outcome(response) != expected[persona]:
                wrong.append(f"{persona} got {outcome(response)}, not {expected[persona]}")
            elif (expected[persona] in REFUSED or method == "GET") and snapshot() != before:
                wrong.append(f"{persona} was refused but changed something")
            transaction.set_rollback(True)
    assert not wrong, f"{method} {url}: " + "; ".join(wrong)


# The API takes no cookies, so no request forgery can borrow a session.
@pytest.mark.parametrize(
    "name", [name for name in ACCESS if "POST" in ACCESS[name] and not name.startswith("api-")]
)
def test_every_post_needs_the_csrf_token(world, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.campaign.owner)
    url = url_for(name, world)  # which may make the row it names first
    before = snapshot()
    response = client.post(url, post_data(name, world))
    assert response.status_code == 403
    assert snapshot() == before


def test_drafts_are_visible_to_their_organizers_only(world):
    draft = world.other_campaign  # owned by other_organizer
    editing = {"anonymous": 302, "supporter": 302, "user": 403, "owner": 404}
    for persona in PERSONAS:
        client = client_for(persona, world)
        assert client.get(f"/c/{draft.slug}/").status_code == 404, persona
        assert client.post(f"/c/{draft.slug}/", ADDRESS).status_code == 404, persona
        assert client.get(f"/organize/{draft.slug}/").status_code == editing.get(persona, 200)


@pytest.mark.parametrize("url", ["/organize/", "/staff/"])
def test_lists_show_an_organizer_only_their_own_campaigns(world, url):
    page = client_for("other_organizer", world).get(url).content.decode()
    assert world.other_campaign.title in page
    assert world.campaign.title not in page
    assert world.campaign.slug not in page


class TestNoSupporterDataInPublic:
    SECRETS = ("Maya", "Ortiz", "maya@example.org", "Maya@Example.org", "12 Elm St", "05401-1234")

    def test_another_browser_sees_nothing_of_the_supporter(self, world):
        stranger = Client(headers={"User-Agent": BROWSER})
        thanks = url_for("campaign_thanks", world)
        for url in (
            "/",
            world.campaign.get_absolute_url(),
            thanks,
            url_for("campaign_confirm", world),
        ):
            page = stranger.get(url).content.decode()
            for secret in self.SECRETS:
                assert secret not in page, (url, secret)
        # Not even which offices they wrote to.
        assert "Senator Sanders" not in stranger.get(thanks).content.decode()

    def test_no_url_carries_the_email_or_address(self, campaign, vermont, offline_lookup):
        client = Client(headers={"User-Agent": BROWSER})
        looked_up = client.post(campaign.get_absolute_url(), ADDRESS)
        sent = sent_letters(client, campaign)
        pages = [client.get(campaign.get_absolute_url()), client.get(sent["Location"])]
        urls = [looked_up["Location"], sent["Location"], links_on(pages)]
        text = " ".join(urls).lower()
        for secret in ("maya", "ortiz", "example.org", "elm", "05401"):
            assert secret not in text, secret


def links_on(responses):
    """Every href and form action on the pages, joined."""
    return " ".join(
        " ".join(re.findall(r'(?:href|action)="([^"]*)"', response.content.decode()))
        for response in responses
    )
