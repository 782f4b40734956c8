"""Campaign drafts from release facts: the rule-based draft and the optional LLM."""

import json
import re
import string
from datetime import date
from pathlib import Path

import pytest
import requests
import responses
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from campaigns.drafting.draft import (
    MAX_SUBJECT,
    MAX_SUMMARY,
    MAX_TITLE,
    draft_campaign,
    draft_from_facts,
    draft_with_llm,
    repeat_warnings,
)
from campaigns.drafting.extract import ReleaseFacts, Spokesperson, extract
from campaigns.letters import MERGE_FIELDS, PERSONAL_PLACEHOLDER, validate_template
from tests.conftest import shared_path

RELEASES = Path(__file__).parent / "releases"
ENDPOINT = "https://llm.example.org/v1/chat/completions"


def release(name):
    return (RELEASES / name).read_text(encoding="utf-8")


def field_names(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def assert_valid_letter(draft):
    body = draft.letter_body
    assert field_names(body) <= MERGE_FIELDS.keys()  # also proves str.format can parse it
    validate_template(body)
    assert body.startswith("Dear {legislator_salutation},")
    assert body.rstrip().endswith("{full_name}\n{city}, {state}")
    assert 120 <= len(body.split()) <= 300
    assert len(draft.title) <= MAX_TITLE
    assert len(draft.letter_subject) <= MAX_SUBJECT


def test_seed_release_draft():
    facts = extract(shared_path("seed-release.txt").read_text(encoding="utf-8"))
    draft = draft_from_facts(facts)
    assert_valid_letter(draft)
    assert "Idlib" in draft.letter_body
    assert "As your constituent in {city}, {state}, I am writing to ask you to support" in (
        draft.letter_body
    )
    assert draft.targets.chambers == {"senate", "house"}
    assert draft.targets.other == ("President",)
    assert draft.summary.count(". ") + 1 >= 2


@pytest.mark.parametrize("name", sorted(path.name for path in RELEASES.glob("*.txt")))
def test_every_made_up_release_gives_a_valid_letter(name):
    assert_valid_letter(draft_from_facts(extract(release(name))))


def test_bill_centric_ask_becomes_first_person():
    draft = draft_from_facts(extract(release("bill-house-vote.txt")), today=date(2025, 3, 10))
    ask = "pass the Clean Harbors Act (H.R. 2417) before the spring recess"
    assert f"I am writing to ask you to {ask}." in draft.letter_body
    assert draft.title == f"Tell your representative to {ask}"
    assert draft.letter_subject == f"Please {ask}"
    assert draft.targets.chambers == {"house"}
    assert draft.notes == ()


def test_a_release_asking_someone_else_leaves_targets_to_the_organizer():
    facts = extract(release("epa-administrator.txt"))
    draft = draft_from_facts(facts, today=date.fromisoformat(facts.date))
    assert draft.targets.chambers == frozenset()
    assert draft.targets.other == ("EPA Administrator Dana Whitfield",)
    assert draft.notes == (
        "We are not sure this release asks Congress to act: it asks EPA Administrator "
        "Dana Whitfield. Choose the targets yourself.",
    )


def test_third_person_ask_about_one_member_speaks_to_them():
    facts = ReleaseFacts(
        headline="Advocates Ask Rep. Lena Reyes to Keep Her Promise",
        organization="Home Care Advocates",
        call_to_action="Advocates asked her to use her seat to move the Home Care Act.",
        targets=("Rep. Lena Reyes",),
        targets_congress=True,
        asks=("use her seat to move the Home Care Act",),
    )
    draft = draft_from_facts(facts)
    assert "ask you to use your seat to move the Home Care Act." in draft.letter_body
    assert draft.targets.chambers == {"house"}
    assert any("Rep. Lena Reyes" in note for note in draft.notes)
    assert_valid_letter(draft)


def test_braces_from_the_release_cannot_become_fields():
    facts = ReleaseFacts(
        headline="Group Urges Senate to Pass {Data} Act",
        subheadline="The {secret_key} bill would protect {user_data} of every voter",
        organization="Privacy {Now}",
        spokesperson=Spokesperson("Ann Lee", "director", ("We need the {Data} Act passed now.",)),
        call_to_action="Privacy Now urges the Senate to pass the {Data} Act.",
        targets=("Senate",),
        targets_congress=True,
        asks=("pass the {Data} Act",),
    )
    draft = draft_from_facts(facts)
    assert_valid_letter(draft)
    assert "{Data}" not in draft.letter_body and "(Data)" in draft.letter_body
    assert "{" not in draft.title + draft.summary + draft.call_to_action + draft.letter_subject


def test_a_release_without_an_ask_says_so():
    draft = draft_from_facts(
        ReleaseFacts(headline="Group Marks Its 50th Year", organization="Group")
    )
    # Too little to ground 120 words on: the letter stays short rather than invent.
    validate_template(draft.letter_body)
    assert (
        "We found no clear ask in this release: write the call to action yourself." in draft.notes
    )


# ---- the optional LLM draft --------------------------------------------------------------


def llm_answer(**overrides):
    body = (
        "Dear {legislator_salutation},\n\nAs your constituent in {city}, I urge you to vote yes "
        "on H.R. 2417, the Clean Harbors Act. "
        + "Harbor towns in our state have waited years for cleanup money. " * 12
        + "\n\nSincerely,\n{full_name}\n{city}, {state}"
    )
    fields = {
        "title": "Tell your representative to pass the Clean Harbors Act",
        "summary": "The Coastal Water Alliance urges the House to pass H.R. 2417.",
        "call_to_action": "Tell your representative to vote yes on H.R. 2417.",
        "letter_subject": "Please vote yes on H.R. 2417",
        "letter_body": body,
    } | overrides
    return {"choices": [{"message": {"role": "assistant", "content": json.dumps(fields)}}]}


def llm_draft():
    text = release("bill-house-vote.txt")
    return draft_with_llm(extract(text), text, endpoint=ENDPOINT, api_key="k-123", model="m-1")


@responses.activate
def test_llm_draft_is_used_when_it_keeps_the_rules():
    responses.post(ENDPOINT, json=llm_answer())
    draft = llm_draft()
    assert draft.title == "Tell your representative to pass the Clean Harbors Act"
    assert draft.targets.chambers == {"house"}  # targets always come from the facts
    sent = json.loads(responses.calls[0].request.body)
    assert sent["model"] == "m-1"
    assert "Coastal Water Alliance" in sent["messages"][1]["content"]
    assert responses.calls[0].request.headers["Authorization"] == "Bearer k-123"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (llm_answer(letter_body="Dear {legislator_salutation}, hello {ssn}"), "unknown merge"),
        (llm_answer(title="x" * 121), "too long"),
        (
            llm_answer(letter_body="Dear {legislator_salutation},\n\nToo short.\n{full_name}"),
            "words",
        ),
        (llm_answer(summary=""), "no summary"),
        ({"choices": [{"message": {"content": "not json"}}]}, "not the JSON"),
        ({"error": "quota"}, "not the JSON"),
    ],
)
@responses.activate
def test_llm_answers_that_break_a_rule_fall_back_with_a_note(answer, reason):
    responses.post(ENDPOINT, json=answer)
    draft = llm_draft()
    rules = draft_from_facts(extract(release("bill-house-vote.txt")))
    assert draft.letter_body == rules.letter_body
    assert draft.notes[:-1] == rules.notes
    assert reason in draft.notes[-1]
    assert draft.notes[-1].endswith("this is the rule-based draft.")


@responses.activate
def test_llm_timeout_and_error_status_fall_back():
    responses.post(ENDPOINT, body=requests.exceptions.ReadTimeout("slow"))
    assert "took too long" in llm_draft().notes[-1]
    responses.replace(responses.POST, ENDPOINT, status=503)
    assert "answered 503" in llm_draft().notes[-1]


def test_without_an_endpoint_the_rules_draft(settings):
    settings.DRAFTING_LLM_URL = ""
    facts = extract(release("deck-only-ask.txt"))
    assert draft_campaign(facts, "") == draft_from_facts(facts)


@responses.activate
def test_settings_turn_the_llm_on(settings):
    settings.DRAFTING_LLM_URL = ENDPOINT
    settings.DRAFTING_LLM_KEY = "k-9"
    settings.DRAFTING_LLM_MODEL = "m-9"
    responses.post(ENDPOINT, json=llm_answer())
    text = release("bill-house-vote.txt")
    assert draft_campaign(extract(text), text).title.endswith("pass the Clean Harbors Act")
    assert json.loads(responses.calls[0].request.body)["model"] == "m-9"


@hypothesis_settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_release_text_keeps_the_letter_a_valid_template(headline, call):
    facts = ReleaseFacts(
        headline=headline,
        subheadline=call[::-1],
        call_to_action=call,
        targets=("Congress",),
        targets_congress=True,
        asks=(call,) if call.strip() else (),
    )
    draft = draft_from_facts(facts)
    assert field_names(draft.letter_body) <= MERGE_FIELDS.keys()
    validate_template(draft.letter_body)
    assert len(draft.title) <= MAX_TITLE
    assert len(draft.letter_subject) <= MAX_SUBJECT


def _sentences_of(text):
    return [s for s in re.split(r"(?<=[.!?”])\s+", text.replace("\n", " ")) if len(s.split()) > 3]


def test_every_labelled_release_gets_a_constituents_letter():
    """On every real release: 120-250 words, the ask once, a place for the supporter's own
    sentence, no quotation collage, no sentence said twice in the letter or the summary."""
    from bench import extraction as bench

    shared_path("releases", "labels.json")
    for name, text, label in bench.corpus(bench.SHARED):
        draft = draft_from_facts(extract(text, url=label.get("source_url", "")))
        body = draft.letter_body
        assert 120 <= len(body.split()) <= 250, (name, len(body.split()))
        assert body.count(PERSONAL_PLACEHOLDER) == 1, name
        assert "In its own words" not in body and "put it:" not in body, name
        assert "watching" not in body, name
        for text_ in (body, draft.summary):
            said = _sentences_of(text_)
            assert len(said) == len(set(said)), (name, said)
        assert len(draft.summary) <= MAX_SUMMARY, name
        assert not draft.summary.endswith((" the", " a", " of", " to", ",")), name


def test_the_organization_statement_is_the_release_describing_its_issuer():
    facts = ReleaseFacts(
        organization="Harbor Alliance",
        call_to_action="The Harbor Alliance urges Congress to pass the Clean Harbors Act.",
        targets=("Congress",),
        targets_congress=True,
        asks=("pass the Clean Harbors Act",),
        statements=(
            "The Harbor Alliance is outraged by the delay.",
            "The Harbor Alliance is a coalition of 40 port towns on the Atlantic coast.",
        ),
    )
    draft = draft_from_facts(facts)
    assert draft.organization_statement == (
        "The Harbor Alliance is a coalition of 40 port towns on the Atlantic coast."
    )
    assert "40 port towns" not in draft.letter_body  # the supporter's words stay theirs


def _vague(headline, statements):
    return ReleaseFacts(
        headline=headline,
        organization="Fair Pay Center",
        call_to_action="The Center will press Congress to pass this critical legislation.",
        targets=("Congress",),
        targets_congress=True,
        asks=("pass this critical legislation",),
        statements=statements,
    )


def test_a_vague_ask_names_the_act_the_release_is_about():
    draft = draft_from_facts(
        _vague(
            "SENATE FAILS TO PROCEED WITH PAYCHECK FAIRNESS ACT",
            ("The Paycheck Fairness Act would close loopholes in equal pay law.",),
        )
    )
    assert draft.letter_subject == "Please pass the Paycheck Fairness Act"
    assert "ask you to pass the Paycheck Fairness Act." in draft.letter_body


def test_a_vague_ask_stays_vague_when_the_release_names_two_acts():
    draft = draft_from_facts(
        _vague(
            "Senate Vote Fails",
            ("The Paycheck Fairness Act would amend the Equal Pay Act of 1963 in many ways.",),
        )
    )
    assert "ask you to pass this critical legislation." in draft.letter_body


def test_a_headline_in_title_case_gives_the_act_name_the_body_spells():
    draft = draft_from_facts(
        _vague(
            "Fair Pay Center Praises Introduction of Paycheck Fairness Act",
            ("The Paycheck Fairness Act would close loopholes in equal pay law.",),
        )
    )
    assert "ask you to pass the Paycheck Fairness Act." in draft.letter_body


def test_an_act_called_by_a_short_form_too_is_one_act():
    draft = draft_from_facts(
        _vague(
            "Senate Vote Fails",
            (
                "The Paycheck Fairness and Equal Wages Act would close loopholes in pay law.",
                "Supporters say the Paycheck Fairness Act has friends in both parties.",
            ),
        )
    )
    assert "ask you to pass the Paycheck Fairness and Equal Wages Act." in draft.letter_body


# ---- warnings for the organizer (made-up facts) ------------------------------------------


def _facts(**changes):
    base = {
        "headline": "Harbor Alliance Urges Congress to Pass the Clean Harbors Act",
        "date": "2025-03-03",
        "organization": "Harbor Alliance",
        "call_to_action": "We urge Congress to pass the Clean Harbors Act.",
        "call_to_action_confidence": 0.8,
        "targets": ("Congress",),
        "targets_congress": True,
        "asks": ("pass the Clean Harbors Act",),
        "topic": "Environmental Protection",
    }
    return ReleaseFacts(**{**base, **changes})


def test_a_clean_release_of_this_year_has_no_warning():
    assert draft_from_facts(_facts(), today=date(2025, 6, 1)).notes == ()


def test_a_release_more_than_a_year_old_puts_its_date_beside_todays():
    (note,) = draft_from_facts(_facts(), today=date(2026, 12, 1)).notes
    assert "March 3, 2025" in note
    assert "December 1, 2026" in note


def test_a_cut_short_release_is_flagged():
    (note,) = draft_from_facts(_facts(truncated=True), today=date(2025, 6, 1)).notes
    assert "cut short" in note


def test_an_ask_without_the_bill_the_release_mentions_is_flagged():
    facts = _facts(bills=("H.R. 4521",), asks=("fund harbor cleanup",))
    (note,) = draft_from_facts(facts, today=date(2025, 6, 1)).notes
    assert "names no bill" in note
    assert "H.R. 4521" in note


def test_no_ask_to_congress_names_whom_the_release_does_ask():
    facts = _facts(targets=("Riverton City Council",), targets_congress=False)
    (note,) = draft_from_facts(facts, today=date(2025, 6, 1)).notes
    assert "not sure this release asks Congress" in note
    assert "the Riverton City Council" in note


def test_a_summary_or_letter_saying_a_sentence_twice_is_flagged():
    twice = "The harbor cleanup would employ four hundred people in our town."
    summary = f"{twice} Congress votes next week. {twice}"
    (note,) = repeat_warnings(summary=summary, letter="Dear {legislator_salutation}, Thanks.")
    assert note.startswith("The summary says this twice")
    assert twice in note
    letter = (
        f"Dear Sir,\n\n{twice} I live here. The harbor cleanup would employ 400 people in our town."
    )
    assert [n[:30] for n in repeat_warnings(summary="One. Two.", letter=letter)] == [
        "The letter says this twice: “T"
    ]
    assert list(repeat_warnings(summary="Once only here.", letter=summary[:60])) == []


# ---- a letter a staffer reads as a constituent's (made-up facts) -------------------------


def test_a_long_ask_gives_a_title_of_its_verb_and_object():
    ask = (
        "take up the fight for long-term flood insurance reform as swiftly as possible, "
        "before the storm season begins"
    )
    draft = draft_from_facts(_facts(asks=(ask,)), today=date(2025, 6, 1))
    assert draft.title == "Tell Congress to take up the fight for long-term flood insurance reform"
    assert f"ask you to {ask}." in draft.letter_body  # the letter keeps the whole ask


def test_a_long_ask_without_a_short_verb_and_object_gives_the_headline():
    ask = (
        "pass a comprehensive reauthorization of every harbor and waterway program the "
        "federal government runs in coastal and river towns"
    )
    draft = draft_from_facts(_facts(asks=(ask,)), today=date(2025, 6, 1))
    assert draft.title == "Harbor Alliance Urges Congress to Pass the Clean Harbors Act"


def _with_statements(ask, *statements, **changes):
    return _facts(asks=(ask,), statements=statements, **changes)


@pytest.mark.parametrize(
    ("ask", "said"),
    [
        ("cosponsor this bill, protect towns", "cosponsor the Clean Harbors Act and protect towns"),
        ("pass H.R. 12, the Clean Harbors Act", "pass H.R. 12, the Clean Harbors Act"),
        ("cosponsor H.R. 12, Protect Harbors Act", "cosponsor H.R. 12, Protect Harbors Act"),
        ("fund ports, docks, protect towns", "fund ports, docks, protect towns"),
    ],
)
def test_two_things_asked_with_a_comma_between_are_joined_with_and(ask, said):
    facts = _with_statements(ask, TIMELESS)
    assert f"ask you to {said}" in draft_from_facts(facts, today=date(2025, 6, 1)).letter_body


def test_an_acronym_the_release_defines_is_spelled_out_at_its_first_use():
    facts = _with_statements(
        "fully fund the RWGP and protect the RWGP from cuts",
        "We have backed the Rural Water Grant Program (RWGP) in every budget since 1990.",
        "Rural water grants serve 3,000 small towns across the country every single year.",
    )
    body = draft_from_facts(facts, today=date(2025, 6, 1)).letter_body
    assert "fully fund the Rural Water Grant Program (RWGP) and protect the RWGP from" in body
    assert body.count("Rural Water Grant Program") == 1


def test_an_acronym_is_spelled_out_from_the_one_name_of_its_initials():
    facts = _with_statements(
        "renew CRF grants before they lapse",
        "Since 2015 the Coastal Resilience Fund has paid for 140 sea walls in small towns.",
        "Every dollar the CRF spends saves six dollars of storm damage in those towns.",
    )
    body = draft_from_facts(facts, today=date(2025, 6, 1)).letter_body
    assert "ask you to renew Coastal Resilience Fund (CRF) grants before they lapse." in body


def test_an_acronym_used_as_a_noun_is_spelled_out_with_its_article():
    facts = _with_statements(
        "stop the raids on CRF before the budget vote and protect CRF grants",
        "Since 2015 the Coastal Resilience Fund has paid for 140 sea walls in small towns.",
    )
    body = draft_from_facts(facts, today=date(2025, 6, 1)).letter_body
    assert "raids on the Coastal Resilience Fund (CRF) before the budget vote and protect CRF" in (
        body
    )


def test_an_acronym_the_release_does_not_spell_stays_as_it_is():
    facts = _with_statements(
        "protect the NOAA tide gauges in our harbors",
        "Tide gauges measured a rise of 9 inches in sea level since 1950 along this coast.",
    )
    body = draft_from_facts(facts, today=date(2025, 6, 1)).letter_body
    assert "ask you to protect the NOAA tide gauges in our harbors." in body


def test_a_member_named_by_surname_in_the_ask_gets_the_title_and_name_the_release_gives():
    facts = _with_statements(
        "work with Alvarez to introduce the Clean Harbors Act in the Senate",
        "A Senate version is Sen. Maria Alvarez’s to introduce: she has said so this spring.",
    )
    draft = draft_from_facts(facts, today=date(2025, 6, 1))
    assert "ask you to work with Senator Maria Alvarez to introduce" in draft.letter_body
    assert draft.letter_subject.startswith("Please work with Senator Maria Alvarez to")


def test_a_surname_two_members_share_or_already_in_full_is_left_alone():
    shared = _with_statements(
        "work with Alvarez to introduce the Clean Harbors Act",
        "Sen. Maria Alvarez and Rep. Tom Alvarez both represent harbor towns in Oregon.",
    )
    assert "work with Alvarez to" in draft_from_facts(shared).letter_body
    full = _with_statements(
        "work with Maria Alvarez to introduce the Clean Harbors Act",
        "Senator Maria Alvarez represents harbor towns in Oregon and chairs a subcommittee.",
    )
    assert "work with Maria Alvarez to" in draft_from_facts(full).letter_body


DATED = "Harbor towns lost 4,000 jobs this year as the old sea walls failed in storms."
TIMELESS = "The Clean Harbors Act would rebuild 300 miles of sea walls in coastal towns."


def test_a_stale_release_loses_its_dated_facts_and_says_so():
    facts = _with_statements("pass the Clean Harbors Act", DATED, TIMELESS)
    draft = draft_from_facts(facts, today=date(2026, 12, 1))
    assert TIMELESS in draft.letter_body
    assert "4,000 jobs" not in draft.letter_body + draft.summary
    assert any(note.startswith(f"The letter leaves out “{DATED}”") for note in draft.notes)


@pytest.mark.parametrize(
    "dated",
    [
        "The Clean Harbors Act will be introduced at a hearing on Thursday, November 21st.",
        "Harbor mayors will testify about 300 miles of failing sea walls on March 4.",
    ],
)
def test_a_day_of_the_week_or_a_date_without_a_year_is_the_releases_own_time(dated):
    facts = _with_statements("pass the Clean Harbors Act", dated, TIMELESS)
    draft = draft_from_facts(facts, today=date(2026, 12, 1))
    assert dated not in draft.letter_body and TIMELESS in draft.letter_body


def test_a_date_with_its_year_is_a_fact_that_keeps():
    dated = "On January 29, 2020, the House passed a bill to rebuild 300 miles of sea walls."
    facts = _with_statements("pass the Clean Harbors Act", dated, TIMELESS)
    assert dated in draft_from_facts(facts, today=date(2026, 12, 1)).letter_body


def test_a_recent_release_keeps_its_dated_facts_without_a_note():
    facts = _with_statements("pass the Clean Harbors Act", DATED, TIMELESS)
    draft = draft_from_facts(facts, today=date(2025, 6, 1))
    assert DATED in draft.letter_body
    assert draft.notes == ()


def test_an_undated_release_keeps_its_dated_facts_flagged():
    facts = _with_statements("pass the Clean Harbors Act", DATED, TIMELESS, date="")
    draft = draft_from_facts(facts, today=date(2026, 12, 1))
    assert DATED in draft.letter_body
    (note,) = draft.notes
    assert note.startswith(f"The letter says “{DATED}”")
    assert "no date" in note


def test_the_letter_states_facts_not_the_organizations_campaign_or_reported_speech():
    facts = _with_statements(
        "pass the Clean Harbors Act",
        "Harbor advocates had meetings scheduled with 212 offices to build support for it.",
        "The bill would rebuild 300 miles of sea walls, the letter states to the committee.",
        "Dock workers believe the sea walls will keep 40 small ports open through storms.",
        "The press conference focused on 12 harbor towns that flooded twice since 2015.",
        "Sea walls built since 1990 have cut storm damage in harbor towns by 60 percent.",
    )
    draft = draft_from_facts(facts, today=date(2025, 6, 1))
    assert "Here is why I am asking. Sea walls built since 1990 have cut" in draft.letter_body
    for frame in ("advocates had", "letter states", "believe", "press conference"):
        assert frame not in draft.letter_body + draft.summary
