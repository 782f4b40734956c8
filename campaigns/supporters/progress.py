"""The supporter's progress through a campaign page, kept in their session.

Step one (who and where) ends with a lookup, remembered by bioguide id so
step two can show the members and the letter without asking again. Nothing
personal goes into a URL.
"""

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import letters, tallies
from campaigns.models import Event, Letter, Supporter
from campaigns.supporters import kept
from campaigns.supporters.submit import progress_key, recipient_ids, recipient_values
from campaigns.supporters.targeting import member_recipients, settle, writes_to
from campaigns.supporters.variants import held, letter_template
from legislators.divisions import seat_from_ocd_id
from legislators.lookup import Status
from legislators.models import Chamber
from legislators.roster import members_by_bioguide

SUPPORTER_FIELDS = (
    "email", "prefix", "first_name", "last_name", "street", "city", "state", "zip_code", "phone",
)  # fmt: skip
TRACKING_PARAMS = ("source", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
BOTS = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|curl|wget|python-|httpx|go-http", re.I
)
SUBMISSIONS_REMEMBERED = 20
PROGRESS_CACHE_SECONDS = 60
NOT_SENT = [
    Letter.Status.REJECTED,
    Letter.Status.FAILED,
    Letter.Status.CANCELLED,
    Letter.Status.UNCONFIRMED,
    Letter.Status.EXPIRED,
    Letter.Status.NO_ROUTE,
]


def state_of(session, campaign):
    return session.get(f"campaign:{campaign.uuid.hex}", {})


def save_state(session, campaign, state):
    """Store the state, without starting a session for a visitor who has none
    (a wording alone starts none: its cookie keeps it)."""
    key = f"campaign:{campaign.uuid.hex}"
    if (state.keys() - {"variant"}) or key in session:
        session[key] = state


def is_bot(user_agent):
    return not user_agent or bool(BOTS.search(user_agent))


def tracking_from(params):
    """?source= and utm_* as given, trimmed to what the columns hold."""
    # NUL is the one character PostgreSQL will not store in text.
    values = {name: params.get(name, "").replace("\x00", "")[:100] for name in TRACKING_PARAMS}
    return {name: value for name, value in values.items() if value}


def record(campaign, kind, state):
    source = state.get("tracking", {}).get("source", "")
    Event.objects.create(campaign=campaign, kind=kind, source=source)


def letters_sent(campaign):
    """The progress figure: letters on their way or delivered.

    A sum over the campaign's tallies (a few rows a day, however many
    letters), kept a minute in the cache; each send forgets it (see
    supporters.submit), so a supporter always sees their own letters counted.
    """
    return cache.get_or_set(
        progress_key(campaign.pk),
        lambda: tallies.letters_in(campaign, exclude=NOT_SENT),
        PROGRESS_CACHE_SECONDS,
    )


@dataclass(frozen=True)
class Progress:
    sent: int
    goal: int | None

    @property
    def percent(self):
        return min(100, round(100 * self.sent / self.goal)) if self.goal else None


def progress_shown(campaign, sent):
    """The count to show, or None while it is too small to persuade anyone."""
    if sent < max(campaign.show_count_from, 1):
        return None
    return Progress(sent, campaign.goal)


def remember(state, supporter, representation, campaign):
    """Keep what the lookup found; return the message to show when it found no one."""
    state["supporter"] = supporter
    forget_lookup(state)
    if representation.status == Status.AMBIGUOUS:
        settled = settle(campaign, representation.candidates)
        if settled is not None:
            # The district would change nothing this campaign sends: never ask for it.
            state["lookup"] = {
                "bioguide_ids": [member.bioguide_id for member in settled],
                "matched_address": representation.matched_address,
                "source": representation.source,
                "approximate": False,
                "district": "",
                "notes": [],
                "vacancies": [],
            }
            return None
    if representation.status == Status.OK:
        state["lookup"] = {
            "bioguide_ids": [member.bioguide_id for member in representation.legislators],
            "matched_address": representation.matched_address,
            "source": representation.source,
            "approximate": representation.approximate,
            "district": representation.districts[0].ocd_id if representation.districts else "",
            "notes": list(representation.notes),
            # An empty seat this campaign would not write to is no news to the supporter.
            "vacancies": [
                str(vacancy)
                for vacancy in representation.vacancies
                if writes_to(campaign, vacancy.chamber)
            ],
        }
        return None
    if representation.status == Status.AMBIGUOUS:
        state["candidates"] = {
            candidate.seat.ocd_id: {
                "label": candidate.seat.label,
                "bioguide_ids": [member.bioguide_id for member in candidate.legislators],
            }
            for candidate in representation.candidates
        }
        state["candidates_message"] = representation.message
        return None
    return " ".join([representation.message, *representation.notes])


def forget_lookup(state):
    for key in ("lookup", "candidates", "candidates_message", "write_anyway"):
        state.pop(key, None)


def choose_candidate(state, ocd_id):
    """The supporter picked one of an ambiguous lookup's districts."""
    candidate = state.get("candidates", {}).get(ocd_id)
    if candidate is None:
        return False
    forget_lookup(state)
    state["lookup"] = {
        "bioguide_ids": candidate["bioguide_ids"],
        "matched_address": "",
        "source": "chosen",
        "approximate": False,
        "district": ocd_id,
        "notes": [_("You chose %(district)s.") % {"district": candidate["label"]}],
        "vacancies": [],
    }
    return True


@dataclass
class DistrictChoice:
    ocd_id: str
    seat: object  # legislators.divisions.Seat
    representative: object  # a Legislator, or None for a vacant seat


ADDRESS_SERVICES = {
    "census": _("the U.S. Census Bureau's address service"),
    "geocodio": _("the Geocodio address service"),
}


def address_service():
    """The service a street address is looked up with here, named for a
    supporter; "" when only ZIP codes and maps are set up."""
    names = [
        ADDRESS_SERVICES[n] for n in settings.DISTRICT_LOOKUP_BACKENDS if n in ADDRESS_SERVICES
    ]
    return names[0] if names else ""


def district_choices(state):
    """The districts an ambiguous lookup left, each with its representative."""
    candidates = state.get("candidates", {})
    members = members_by_bioguide(
        [bioguide for candidate in candidates.values() for bioguide in candidate["bioguide_ids"]]
    )
    choices = []
    for ocd_id in candidates:
        seat = seat_from_ocd_id(ocd_id)
        representative = next(
            (m for m in members if m.chamber == Chamber.HOUSE and m.seat == seat), None
        )
        choices.append(DistrictChoice(ocd_id, seat, representative))
    return choices


@dataclass
class LetterStep:
    members: list  # the supporter's members this campaign writes to, written to or not
    represented_by: list  # all the supporter's members, for saying why some get no letter
    recipients: list  # whom this letter goes to: members targeted, custom targets, not yet written
    earlier_letters: list
    taken: bool  # the email has letters from another browser: shown as new, sends nothing
    greeting: str  # "Dear {legislator_salutation}," or ""
    greetings: list  # the greeting as each recipient reads it
    initial: dict  # the letter form's starting values
    proposed: tuple  # (subject, body) as we proposed them, to tell an edited letter


def letter_step(campaign, state, sent):
    supporter = state["supporter"]
    represented_by = members_by_bioguide(state["lookup"]["bioguide_ids"])
    members = member_recipients(
        campaign, represented_by, write_anyway=state.get("write_anyway", False)
    )
    # Unverified custom targets get no letters (see campaigns.targets).
    targets = [*members, *kept.verified_targets(campaign)]
    earlier = earlier_letters(campaign, supporter["email"])
    # Whoever types an email address must not learn whether its owner wrote,
    # nor send more letters in their name: earlier letters belong to the
    # browser that sent them. Another browser sees the page a new address
    # would (every office, no earlier letters); its send makes no letters.
    taken = bool(earlier) and not any(
        sent_by_this_browser(sent, item.submission.uuid) for item in earlier
    )
    written = set() if taken else {(item.legislator_id, item.custom_target_id) for item in earlier}
    recipients = [target for target in targets if recipient_ids(target) not in written]

    values = letters.supporter_context(
        **{name: supporter[name] for name in ("first_name", "last_name", "street", "city")},
        state=supporter["state"],
        zip_code=supporter["zip_code"],
    )
    # The wording the supporter was assigned (campaigns/supporters/variants.py).
    draft = letters.for_supporter(letter_template(campaign, held(campaign, state)), values)
    greeting, body = letters.split_greeting(draft.body)
    return LetterStep(
        members=members,
        represented_by=represented_by,
        recipients=recipients,
        earlier_letters=[] if taken else earlier,
        taken=taken,
        greeting=greeting,
        greetings=[letters.fill(greeting, recipient_values(r)) for r in recipients]
        if greeting
        else [],
        initial={"key": uuid.uuid4().hex, "subject": draft.subject, "body": body},
        proposed=(draft.subject.strip(), body.strip()),
    )


def earlier_letters(campaign, email):
    """The letters this email address has written in the campaign, oldest first.

    Asked in two small queries, not one join of the letters with their
    supporter: most sends are a new supporter's, and for them the first, an
    index lookup, is the whole answer.
    """
    supporter_id = supporter_id_for(campaign, email)
    if supporter_id is None:
        return []
    return list(
        Letter.objects.filter(supporter_id=supporter_id)
        .select_related("submission")
        .order_by("created_at")
    )


def supporter_id_for(campaign, email):
    # Written out: on every send the ORM took twice as long to build this
    # statement as the database took to answer it.
    with connection.cursor() as cursor:
        cursor.execute(
            # The table's name is the model's own; the values are parameters.
            f"SELECT id FROM {Supporter._meta.db_table} WHERE campaign_id = %s AND email = %s",  # noqa: S608
            [campaign.pk, email],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def supporter_fields(state):
    fields = {name: state["supporter"].get(name, "") for name in SUPPORTER_FIELDS}
    if opt_in_text := state["supporter"].get("opt_in_text"):
        # Recorded only when given: not ticking it again withdraws nothing.
        fields |= {"opt_in_text": opt_in_text, "opted_in_at": timezone.now()}
    return fields


def submission_context(state):
    """What the Submission records about how the supporter got here."""
    lookup, tracking = state["lookup"], state.get("tracking", {})
    return {
        "lookup_source": lookup["source"],
        "matched_address": lookup["matched_address"][:300],
        "district_ocd_id": lookup["district"],
        "source": tracking.get("source", ""),
        "utm": {name: value for name, value in tracking.items() if name.startswith("utm_")},
        # The wording the letter came from; 0 (the campaign's own) is no variant.
        "variant_id": state.get("variant") or None,
    }


def remember_submission(sent, submission):
    """sent: what this browser sent (receipts.of, a frame's memory)."""
    earlier = sent.get("submissions", [])
    if submission.uuid.hex not in earlier:
        sent["submissions"] = [*earlier[-SUBMISSIONS_REMEMBERED:], submission.uuid.hex]


def sent_by_this_browser(sent, submission_uuid):
    return submission_uuid.hex in sent.get("submissions", [])
