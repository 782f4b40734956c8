"""Extraction rules, one test per convention, on releases written for these tests.

Every organization, person and bill here is made up (see releases/README.md).
"""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from campaigns.drafting import learned
from campaigns.drafting.extract import ReleaseFacts, extract
from campaigns.drafting.rules.bills import federal_bills
from campaigns.drafting.rules.header import parse_date, split_dateline
from campaigns.drafting.rules.text import paragraphs, sentences

RELEASES = Path(__file__).parent / "releases"


def release(name):
    return extract((RELEASES / name).read_text(encoding="utf-8"))


# ---- header: headline, deck, dateline, date ----------------------------------------------


def test_headline_and_deck_skip_contact_lines():
    facts = release("bill-house-vote.txt")
    assert facts.headline == "Coastal Water Alliance Urges House to Pass the Clean Harbors Act"
    assert facts.subheadline == "Bill would fund cleanup of 40 industrial harbors over five years"


def test_a_release_without_a_deck_has_an_empty_subheadline():
    assert release("epa-administrator.txt").subheadline == ""


@pytest.mark.parametrize(
    ("paragraph", "place"),
    [
        ("WASHINGTON (March 4, 2025) – The group said.", "WASHINGTON"),
        ("WASHINGTON, D.C., June 3, 2021 — The group said.", "WASHINGTON, D.C."),
        ("DENVER, Colo. – The group said.", "DENVER, Colo."),
        ("(BOSTON) – The group said.", "BOSTON"),
        ("Washington, D.C. – The group said.", "Washington, D.C."),
        ("ST. LOUIS — The group said.", "ST. LOUIS"),
        ("RIVERTON (May 2, 2019) The group said.", "RIVERTON"),
    ],
)
def test_dateline_forms(paragraph, place):
    found, rest = split_dateline(paragraph)
    assert found == place
    assert rest == "The group said."


def test_a_dash_inside_a_sentence_is_no_dateline():
    assert split_dateline("The vote was close – closer than expected, the group said.") is None


def test_a_parenthesis_that_is_no_date_makes_no_dateline_without_a_dash():
    assert split_dateline("NASA (the space agency) The group said.") is None


def test_dateline_place_is_title_cased_keeping_initials():
    assert release("epa-administrator.txt").place == "Denver, Colo."
    assert release("bill-house-vote.txt").place == "Washington"
    assert extract("Group Urges Senate to Act on Water Bill\n\nWASHINGTON, D.C. – Text.").place == (
        "Washington, D.C."
    )


def test_wire_credit_and_date_after_the_dateline_are_dropped():
    facts = release("governor-veto.txt")
    assert facts.date == "2025-01-09"
    assert facts.call_to_action.startswith("The Statewide Nurses Association today called on")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Jan. 29, 2020", "2020-01-29"),
        ("Sept. 3, 2019", "2019-09-03"),
        ("Tuesday, April 9, 2019 at 3pm", "2019-04-09"),
        ("10.16.2025 / Press Release", "2025-10-16"),
        ("date 2019-11-21 Headline", "2019-11-21"),
        ("12 March 2024", "2024-03-12"),
        ("04.14.16rally.jpg", ""),  # an image name, not a date
        ("Copyright © 2020 Example Group", ""),  # a year alone is no date
        ("February 30, 2020", ""),
    ],
)
def test_dates(text, iso):
    assert parse_date(text) == iso


def test_no_date_when_the_release_prints_none():
    assert release("city-council.txt").date == ""


# ---- text: paragraphs and sentences ------------------------------------------------------


def test_hard_wrapped_text_is_joined_into_paragraphs():
    facts = release("hard-wrapped.txt")
    assert facts.spokesperson.name == "Robert T. Lindqvist"
    assert facts.place == "Portland, Ore."


def test_sentences_keep_initials_and_abbreviations():
    text = "Sen. Ada Moss met Dr. Lee in the U.S. Capitol on Jan. 5. They spoke for an hour."
    assert sentences(text) == [
        "Sen. Ada Moss met Dr. Lee in the U.S. Capitol on Jan. 5.",
        "They spoke for an hour.",
    ]


def test_one_paragraph_per_line_when_not_wrapped():
    assert paragraphs("First line.\nSecond line.\n\nThird.") == [
        "First line.",
        "Second line.",
        "Third.",
    ]


# ---- people and organization -------------------------------------------------------------


def test_said_name_comma_title():
    facts = release("bill-house-vote.txt")
    assert facts.spokesperson.name == "Maria Okafor"
    assert facts.spokesperson.title == "executive director of the Coastal Water Alliance"
    assert any("Harbor towns" in quote for quote in facts.spokesperson.quotes)


def test_title_before_name_then_said():
    facts = release("governor-veto.txt")
    assert (facts.spokesperson.name, facts.spokesperson.title) == (
        "Tamara Quist",
        "Association President",
    )


def test_said_title_name():
    text = (
        "Harbor Alliance Backs the Clean Harbors Act\n\n"
        "WASHINGTON – The Harbor Alliance backs the bill.\n\n"
        "“It is overdue,” said Harbor Alliance Executive Director Jane Q. Tanaka."
    )
    facts = extract(text)
    assert facts.spokesperson.name == "Jane Q. Tanaka"
    assert facts.spokesperson.title == "Harbor Alliance Executive Director"


def test_doctor_keeps_the_honorific():
    assert release("deck-only-ask.txt").spokesperson.name == "Dr. Amina Reyes"


def test_statement_headline_names_the_speaker():
    text = (
        "Statement by Prairie Schools Network President Omar Lind on the Budget Vote\n\n"
        "CHEYENNE, Wyo. – The budget vote today leaves rural schools short again. "
        "I urge lawmakers to restore the rural schools fund before they adjourn."
    )
    facts = extract(text)
    assert facts.spokesperson.name == "Omar Lind"
    assert facts.organization == "Prairie Schools Network"


def test_press_contact_is_not_the_spokesperson():
    text = (
        "Contact: Ann Lee, (202) 555-0100\n\n"
        "Rural Clinics Group Urges Congress to Fund Clinics\n\n"
        "WASHINGTON – The Rural Clinics Group urges Congress to fund 300 clinics this year."
    )
    assert extract(text).spokesperson is None


def test_the_organizations_own_speaker_is_preferred_to_a_partner():
    text = (
        "Bike Lanes Now Asks Council to Fund Lanes\n\n"
        "MADISON, Wis. – Bike Lanes Now asks the Madison City Council to fund new lanes.\n\n"
        "“Our riders need this,” said Pat Ruiz, director of the Cyclists Union. "
        "“We will keep showing up,” said Kim Ode, an organizer with Bike Lanes Now."
    )
    assert extract(text).spokesperson.name == "Kim Ode"


def test_organization_full_name_with_acronym():
    text = (
        "Clean Rivers Network Urges Senate to Pass Water Bill\n\n"
        "WASHINGTON – The Clean Rivers Network (CRN) urges the Senate to pass S. 40.\n\n"
        "“Rivers cannot wait,” said Lou Park, CRN Executive Director."
    )
    assert extract(text).organization == "Clean Rivers Network (CRN)"


def test_organization_from_boilerplate_beats_a_short_form():
    text = (
        "Farmworkers: Senate Must Act on Heat Rule\n\n"
        "FRESNO, Calif. – The union urges the Senate to pass the heat safety bill.\n\n"
        "###\n\n"
        "Founded in 1962, the United Farmworkers of the Valley represents 40,000 workers."
    )
    assert extract(text).organization == "United Farmworkers of the Valley"


# ---- the call to action and its targets --------------------------------------------------


def test_quoted_ask_is_a_candidate_without_the_quote_marks():
    facts = release("bill-house-vote.txt")
    candidates = [candidate.sentence for candidate in facts.candidate_asks]
    assert "We call on every member of the House to vote yes on H.R. 2417." in candidates
    assert facts.call_to_action in candidates
    assert "H.R. 2417" in facts.call_to_action
    assert facts.targets == ("House",)
    assert facts.targets_congress is True


def test_ask_only_in_the_deck():
    facts = release("deck-only-ask.txt")
    assert facts.call_to_action == (
        "Families for Fair Lunch urges the Senate to pass the Healthy Meals Act, S. 2290."
    )
    assert facts.targets == ("Senate",)
    assert facts.asks[0] == "pass the Healthy Meals Act, S. 2290"


def test_agency_head_is_not_congress():
    facts = release("epa-administrator.txt")
    assert facts.targets == ("EPA Administrator Dana Whitfield",)
    assert facts.targets_congress is False


def test_governor_and_state_bill_are_not_congress():
    facts = release("governor-veto.txt")
    assert facts.targets == ("Governor Ellen Marsh",)
    assert facts.targets_congress is False
    assert facts.bills == ()  # A.B. 512 is a state bill


def test_city_council_is_not_congress():
    facts = release("city-council.txt")
    assert facts.targets == ("Riverton City Council",)
    assert facts.targets_congress is False


def test_several_asks_to_several_targets():
    from campaigns.drafting.ranker import release_candidates

    text = (RELEASES / "hard-wrapped.txt").read_text(encoding="utf-8")
    facts = extract(text)
    # Two asks nearly tie here (the lede's "Congress must ..." and the quoted "We urge
    # the House ... and we ask the Senate ..."): each is read with all its targets.
    assert "Congress" in facts.targets
    readings = {c.sentence: c.reading for c in release_candidates(text) if c.reading}
    quoted = readings[
        "We urge the House to pass H.R. 88 and we ask the Senate to take it up the same week."
    ]
    assert quoted.targets == ("House", "Senate")
    assert "pass H.R. 88" in facts.asks
    assert any("restore funding" in ask for ask in facts.asks)


def test_must_names_the_target():
    text = (
        "Library Group Statement on the Spending Bill\n\n"
        "WASHINGTON – The spending bill cuts library grants by half. "
        "Congress must restore the library grants in the final bill."
    )
    facts = extract(text)
    assert facts.targets == ("Congress",)
    assert facts.asks == ("restore the library grants in the final bill",)


def test_administration_with_congress_in_support():
    text = (
        "Refugee Aid Group Calls for Action\n\n"
        "WASHINGTON – “We are calling on the administration, with the support of Congress, "
        "to reopen the resettlement program,” said Sam Hale, president of Refugee Aid Group."
    )
    facts = extract(text)
    assert facts.targets == ("President", "Congress")
    assert facts.targets_congress is True
    assert facts.call_to_action.startswith("We are calling on the administration")


def test_bare_lawmakers_in_a_state_release_are_the_legislature():
    text = (
        "Teachers Union on Changes to House Bill 9\n\n"
        "ALBANY, N.Y. – As the New York Senate weighs House Bill 9, the union spoke out. "
        "We urge lawmakers to pass House Bill 9 as written."
    )
    facts = extract(text)
    assert facts.targets == ("New York Legislature",)
    assert facts.targets_congress is False


def test_named_member_is_spelled_out():
    text = (
        "Advocates Ask Congresswoman Reyes to Cosponsor Care Act\n\n"
        "Advocates visited Congresswoman Lena Reyes today, asking her to cosponsor the "
        "Home Care Act (H.R. 310) before the August recess, and thanked her staff."
    )
    facts = extract(text)
    assert facts.targets == ("Rep. Lena Reyes",)
    assert facts.targets_congress is True


def test_an_appeal_to_the_public_is_not_a_target():
    text = (
        "Food Bank Drive Opens\n\n"
        "TULSA, Okla. – The Tulsa Food Bank urges the public to donate canned goods this week."
    )
    facts = extract(text)
    assert facts.targets == ()
    assert facts.targets_congress is False


# ---- bills -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bills"),
    [
        ("H.R. 1234 and S. 567", ["H.R. 1234", "S. 567"]),
        ("H.R.4444/S.2147", ["H.R. 4444", "S. 2147"]),
        ("HR 12 and H. R. 13", ["H.R. 12", "H.R. 13"]),
        (
            "H.Res. 12, S.J.Res. 3, H.Con.Res.138, S. Con. Res. 9",
            [
                "H.Res. 12",
                "S.J.Res. 3",
                "H.Con.Res. 138",
                "S.Con.Res. 9",
            ],
        ),
        ("S.B. 123, A.B. 5, SB1, Senate Bill 1, HB 12", []),
        ("the U.S. 2020 census", []),
    ],
)
def test_federal_bills(text, bills):
    assert federal_bills(text) == bills


# ---- the result ---------------------------------------------------------------------------


def test_as_dict_has_exactly_the_documented_keys():
    data = release("bill-house-vote.txt").as_dict()
    assert list(data) == [
        "headline",
        "subheadline",
        "date",
        "place",
        "organization",
        "spokesperson",
        "call_to_action",
        "targets",
        "targets_congress",
        "asks",
        "bills",
        "topic",
        "organization_confidence",
        "call_to_action_confidence",
        "topic_confidence",
        "headline_confidence",
        "date_confidence",
        "targets_confidence",
        "candidate_asks",
    ]
    assert data["spokesperson"] == {
        "name": "Maria Okafor",
        "title": "executive director of the Coastal Water Alliance",
    }
    assert data["bills"] == ["H.R. 2417", "S. 1180"]
    assert json.loads(release("bill-house-vote.txt").to_json()) == data


def test_empty_text_gives_empty_facts():
    facts = extract("")
    assert facts == ReleaseFacts()
    assert facts.as_dict()["spokesperson"] is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_any_text_gives_facts_that_serialize(text):
    facts = extract(text)
    assert json.loads(facts.to_json()) == facts.as_dict()


def test_candidate_asks_come_most_likely_first_with_their_confidence():
    facts = release("bill-house-vote.txt")
    confidences = [candidate.confidence for candidate in facts.candidate_asks]
    assert len(confidences) == 3
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 1.0
    assert facts.call_to_action_confidence == confidences[0]


def test_the_ranker_learns_where_the_ask_is_from_labelled_releases():
    def made_up(subject, ask):
        text = (
            f"{subject} Holds Its Annual Meeting in the Capital\n\n"
            f"WASHINGTON (March 3, 2021) – {subject} met today with members of its board. "
            f"The board reviewed the year's budget and elected new officers. "
            f"{ask} The meeting closed with a dinner for volunteers.\n"
        )
        return text, {"call_to_action": ask}

    training = [
        ("a", *made_up("Friends of Rivers", "We urge Congress to pass the River Act.")),
        ("b", *made_up("Farmers Together", "We ask the Senate to fund rural clinics.")),
    ]
    models = learned.train(training)
    text, _ = made_up("Teachers United", "We call on the House to raise teacher pay.")
    facts = extract(text, models=models)
    assert facts.call_to_action == "We call on the House to raise teacher pay."
    assert facts.call_to_action_confidence > 0.5


@pytest.mark.parametrize(
    ("ask", "target"),
    [
        ("The league calls on all parents to contact the Senate and demand a vote.", "Senate"),
        (
            "Hundreds of nurses will spend the day lobbying their representatives and senators.",
            "Congress",
        ),
        (
            "Members travel to bring a message to their Senate and House representatives.",
            ("Senate", "House"),
        ),
    ],
)
def test_supporters_sent_to_their_members_make_those_members_the_targets(ask, target):
    text = (
        f"Nurses Rally for Safe Staffing\n\nWASHINGTON (May 2, 2022) – {ask} It starts at noon.\n"
    )
    facts = extract(text)
    assert facts.targets == (target if isinstance(target, tuple) else (target,))
    assert facts.targets_congress is True


def made_up_release(headline, body, closing=""):
    text = f"{headline}\n\nWASHINGTON (June 1, 2023) – {body}\n"
    return text + (f"\n{closing}\n" if closing else "")


def test_a_capitalized_common_word_or_a_headline_is_never_the_organization():
    text = made_up_release(
        "Flooding Threatens Coastal Towns as Season Begins",
        "Flooding is rising in coastal towns, and flooding costs families dearly. "
        "We urge Congress to fund flood defenses now.",
    )
    facts = extract(text)
    assert facts.organization == ""
    assert facts.organization_confidence < 0.5


def test_the_organization_comes_from_a_title_before_a_name_and_its_about_paragraph():
    text = made_up_release(
        "Lawmakers Must Act on River Cleanup",
        "“Our rivers cannot wait,” said Harbor Friends Alliance President Ana Ruiz. "
        "The group urges Congress to pass the Clean Rivers Act.",
        "About Harbor Friends Alliance\n\nHarbor Friends Alliance works to keep rivers clean.",
    )
    assert extract(text).organization == "Harbor Friends Alliance"


def test_the_release_address_domain_picks_the_issuer_among_names_in_the_text():
    text = made_up_release(
        "Statement on the Water Bill",
        "Today, Tidewater (formerly TWA), condemns the vote on the Dredging Program Act (DPA). "
        "The Dredging Program Act is a policy that harms marshes.",
    )
    facts = extract(text, url="https://www.tidewater.org/news/statement")
    assert facts.organization.startswith("Tidewater")


@pytest.mark.parametrize(
    "opening",
    [
        "SACRAMENTO (February 25, 2013) The group opposes the bill.",
        "ALEXANDRIA, Va., (Feb. 25, 2013)—Tomorrow the group will testify.",
        "date 2013-02-25 WASHINGTON, Feb. 25, 2013 /Wire/ -- The group opposes the bill.",
    ],
)
def test_a_date_that_opens_a_paragraph_after_its_place_is_the_release_date(opening):
    text = (
        f"Group Opposes the Bill\n\n{opening} It says so in a long sentence of many words here.\n"
    )
    assert extract(text).date == "2013-02-25"


def test_a_last_updated_stamp_is_not_the_release_date():
    text = (
        "Group Opposes the Bill in a Statement\n\nLast Updated on March 24, 2020.\n\n"
        "The group opposes the bill, which would harm the people it serves in many ways.\n"
    )
    assert extract(text).date == ""


def test_a_line_introducing_a_statement_is_not_the_headline():
    text = (
        "Jane Roe, President of the River League, issued the following statement:\n\n"
        "“Congress must pass the Clean Rivers Act this year, before the rivers that feed our "
        "towns and farms are gone for good,” she said.\n"
    )
    assert extract(text).headline == ""


@pytest.mark.parametrize(
    ("ask", "topic"),
    [
        ("We urge Congress to expand Medicaid so patients can see doctors.", "Health"),
        ("We urge Congress to protect refugees and asylum seekers.", "Immigration"),
        ("We urge Congress to raise the minimum wage for workers.", "Labor and Employment"),
        (
            "We urge Congress to cut carbon pollution and fight climate change.",
            "Environmental Protection",
        ),
    ],
)
def test_the_topic_is_read_from_the_release(ask, topic):
    facts = extract(made_up_release("Group Speaks Out on the Bill Today", ask))
    assert facts.topic == topic
    assert facts.topic_confidence > 0.5


def test_a_release_with_no_policy_words_has_no_topic():
    facts = extract(made_up_release("Group Speaks Out Today", "We urge Congress to act now."))
    assert (facts.topic, facts.topic_confidence) == ("", 0.0)


def test_an_acronym_with_headline_words_around_it_is_not_the_organization_name():
    text = made_up_release(
        "AARP Members Descend on Capitol Hill",
        "AARP members, an army of 300 volunteers, today urged Congress to protect Medicare. "
        "AARP said the cuts would hurt 60 million people.",
    )
    assert extract(text).organization == "AARP"


def test_an_aside_with_commas_between_the_issuer_and_its_verb():
    text = made_up_release(
        "Senate Passes Peace Bill",
        "The Harbor Peace Coalition, an alliance of 140 faith-based, humanitarian and rights "
        "groups, today praised the Senate and urged the House to pass the bill.",
    )
    assert extract(text).organization == "Harbor Peace Coalition"


@pytest.mark.parametrize(
    ("ending", "truncated"),
    [
        ("The Task Force urges the President to act on the ru", True),
        ("The Task Force urges the President to act.\n\nCopyright © 2020 Task Force", False),
        ("The Task Force urges the President to act.\n\nwww.taskforce.example", False),
    ],
)
def test_a_release_cut_short_is_flagged(ending, truncated):
    text = made_up_release("Task Force Calls for Action on the Rule", ending)
    assert extract(text).truncated is truncated


# ---- asks the ranker reads since the unseen-release work (all text made up) --------------


def _reading(sentence, before="", text=""):
    from campaigns.drafting.rules.asks import read_sentence
    from campaigns.drafting.rules.targets import context_of

    return read_sentence(sentence, before, context_of(text or before + " " + sentence, ""))


def test_an_imperative_that_is_an_ask_of_whom_it_names():
    ask = _reading(
        "The evidence is plain, and it is imperative that the Senate move quickly to pass "
        "this legislation."
    )
    assert ask.targets == ("Senate",)
    assert ask.actions[0].startswith("move quickly to pass")


def test_a_numbered_list_after_to_colon_is_an_ask():
    ask = _reading(
        "The association urges Congress to: 1) Raise spending caps, 2) Fund school meals."
    )
    assert ask.targets == ("Congress",)
    assert ask.actions[0].startswith("Raise spending caps")


def test_they_after_two_named_senators_asks_both():
    before = "Senators Ann Example and Bob Sample have stood up for their states."
    ask = _reading("They should continue to reject the package.", before)
    assert ask.targets == ("Sen. Ann Example", "Sen. Bob Sample")


def test_he_stands_for_the_person_named_before():
    ask = _reading("Today the President laid out the argument, now he needs to end the debate.")
    assert ask.targets == ("President",)


def test_a_closed_quote_before_a_lost_name_ends_the_sentence():
    paragraph = "“He must reject it.” has led the fight for four years."
    assert sentences(paragraph) == ["“He must reject it.”", "has led the fight for four years."]
    assert sentences("“We must act now.” said Jane Roe.") == ["“We must act now.” said Jane Roe."]


def test_the_ranker_prefers_the_issuers_ask_of_today_to_one_reported_from_earlier():
    from campaigns.drafting.ranker import release_candidates

    text = (
        "Riverkeepers Ask Congress to Act\n\n"
        "WASHINGTON (March 3, 2021) – Earlier this week, Riverkeepers urged Congress to hold "
        "hearings. Riverkeepers calls on Congress to pass the River Act.\n"
    )
    found = {c.sentence: c.features for c in release_candidates(text)}
    earlier = found["Earlier this week, Riverkeepers urged Congress to hold hearings."]
    today = found["Riverkeepers calls on Congress to pass the River Act."]
    assert (earlier["past_ask"], earlier["past_time"], earlier["issuer_asks_now"]) == (1, 1, 0)
    assert earlier["ask_verb"] == 0  # "urged": asked before, not now
    assert (today["present_ask"], today["issuer_asks_now"], today["ask_verb"]) == (1, 1, 1)


def test_a_letter_sent_earlier_urging_is_no_ask_of_today_but_one_sent_today_is():
    from campaigns.drafting.ranker import release_candidates

    text = (
        "Riverkeepers Ask Congress to Act\n\n"
        "WASHINGTON (March 3, 2021) – Riverkeepers sent a letter to the House this week urging "
        "lawmakers to hold hearings. Scientists sent a letter to Congress today urging it to "
        "pass the River Act.\n"
    )
    found = [c.features["ask_verb"] for c in release_candidates(text) if c.where == "body"]
    assert found == [0, 1]


def test_each_field_says_how_sure_it_is_by_the_rule_that_found_it():
    facts = release("bill-house-vote.txt")
    assert facts.date_confidence == 0.95  # from the dateline
    assert facts.headline_confidence == 0.9  # the display line above the dateline
    assert facts.targets_confidence == facts.call_to_action_confidence > 0
    bare = extract(
        "A single paragraph of prose gives no headline above it, prints no date and asks "
        "nobody to do anything at all, so none of those fields is found."
    )
    assert (bare.date_confidence, bare.headline_confidence, bare.targets_confidence) == (0, 0, 0)
    for key in ("date_confidence", "headline_confidence", "targets_confidence"):
        assert key in facts.as_dict()


def test_the_council_is_the_council_the_release_named_before():
    text = (
        "Parents Ask City Council to Fund Nurses\n\n"
        "RIVERTON, Ohio (May 2, 2023) – Parents today urged the Riverton City Council to fund "
        'nurses. "We call on the City Council to act now," said Ana Ortiz, a parent.\n'
    )
    assert extract(text).targets == ("Riverton City Council",)


def test_a_negated_ask_keeps_its_not():
    ask = _reading("All five groups urged the Council not to be rushed in its deliberations.")
    assert ask.targets == ("Council",)
    assert ask.actions == ("not be rushed in its deliberations",)
    ask = _reading("We urge Congress not to cut school meals this year.")
    assert ask.actions == ("not cut school meals this year",)


def test_urging_someone_to_be_something_is_no_action():
    assert _reading("We urge the Senate to be aware of the costs.") is None


def test_companies_asked_as_a_group_are_the_target():
    ask = _reading("So it is time for companies to stop buying soy from cleared land.")
    assert ask.targets == ("companies",)
    assert ask.actions == ("stop buying soy from cleared land",)


def _firsts(text):
    from campaigns.drafting.ranker import release_candidates

    return {
        c.sentence: (c.features["first_targeted_ask"], c.features["first_congress_ask"])
        for c in release_candidates(text)
        if c.where == "body"
    }


def test_an_ask_told_as_history_is_not_the_first_ask():
    firsts = _firsts(
        "Riverkeepers Ask Congress to Act\n\n"
        "WASHINGTON (March 3, 2021) – In 2019 scientists signed a statement urging Congress to "
        "study the river. Riverkeepers urged Congress not to be rushed into a weak bill.\n"
    )
    assert list(firsts.values()) == [(0, 0), (1, 1)]


def test_a_statement_the_release_introduces_has_its_own_first_ask():
    firsts = _firsts(
        "Riverkeepers to Congress: Pass the River Act\n\n"
        "WASHINGTON (March 3, 2021) – The Riverkeepers board adopted a resolution today urging "
        "Congress to act on the river. The following is the text of the resolution:\n\n"
        "“The Riverkeepers board calls on the U.S. Congress to pass the River Act this year. "
        "Congress should also fund river cleanups.”\n"
    )
    assert list(firsts.values()) == [(1, 1), (0, 0), (1, 1), (0, 0)]


# A headline, a page's image caption, then a deck set as a one-sentence prose line that
# the lede retells with its details.
PROSE_DECK = (
    "Growers Join Lawmakers to Stand Up for Orchards\n\n"
    "Growers President Ada Lind at the Capitol\n\n"
    "Growers President Ada Lind joined other farm groups at the Capitol to call on Congress "
    "to keep orchard funding in the farm package.\n\n"
    "Growers President Ada Lind today spoke at an event at the Capitol with the chairs of "
    "both agriculture committees and leaders of other farm groups to call on Congress to keep "
    "orchard funding in the farm package.\n\n"
    "The event focused on the cost of replanting after the spring frosts.\n"
)


def test_a_prose_deck_the_lede_retells_is_the_subheadline():
    facts = extract(PROSE_DECK)
    assert facts.headline == "Growers Join Lawmakers to Stand Up for Orchards"
    assert facts.subheadline.startswith("Growers President Ada Lind joined other farm groups")


def test_a_prose_deck_above_the_dateline_is_the_subheadline():
    facts = extract(
        "Growers Ask Congress to Fund Orchards\n\n"
        "The growers' association asks lawmakers to keep orchard funding in the farm package "
        "before the spring planting season begins next month.\n\n"
        "FRESNO, Calif. (March 3, 2021) – The growers' association today urged Congress to "
        "keep orchard funding in the farm package.\n"
    )
    assert facts.subheadline.startswith("The growers' association asks lawmakers")
    assert (facts.place, facts.date) == ("Fresno, Calif.", "2021-03-03")


def test_a_one_sentence_lede_the_next_paragraph_does_not_retell_stays_in_the_body():
    facts = extract(
        "Growers Ask Congress to Fund Orchards\n\n"
        "The growers' association today urged Congress to keep orchard funding in the farm "
        "package before the spring planting season begins next month.\n\n"
        "Frosts destroyed a third of the state's young trees last spring, and replanting one "
        "acre costs more than most family farms earn in a year, the association said.\n"
    )
    assert facts.subheadline == ""
    assert facts.call_to_action.startswith("The growers' association today urged Congress")


def test_a_deck_the_body_retells_leaves_the_first_ask_to_the_body():
    from campaigns.drafting.ranker import release_candidates

    found = [c for c in release_candidates(PROSE_DECK) if c.features["rule_targets"]]
    assert [(c.where, c.features["first_targeted_ask"]) for c in found] == [
        ("deck", 0),
        ("body", 1),
    ]


def test_them_after_members_of_congress_is_congress():
    ask = _reading(
        "Scientists sent a letter to members of Congress today urging them to reject the bill."
    )
    assert ask.targets == ("Congress",)
    assert ask.actions == ("reject the bill",)


def test_you_as_members_of_a_body_is_that_body():
    ask = _reading(
        "We are writing to ask you as key members of the Senate to cosponsor S. 12, "
        "the Clean Rivers Act."
    )
    named = _reading("We are writing to ask the Senate to cosponsor S. 12, the Clean Rivers Act.")
    assert ask.targets == named.targets == ("Senate",)
    assert ask.score == named.score  # asked as directly as when the body is named


def test_a_title_quoted_at_a_sentences_end_does_not_end_a_quotation():
    from campaigns.drafting.ranker import release_candidates

    text = (
        "Riverkeepers Ask Senate to Act\n\n"
        "WASHINGTON (March 3, 2021) – We ask the Senate to pass S. 12, “The Clean Rivers "
        "Act.” “The river cannot wait. We will not stop until it is clean.”\n"
    )
    ends = [c.features["ends_quote"] for c in release_candidates(text) if c.where == "body"]
    assert ends == [0, 0, 1]


def test_a_retold_one_sentence_lede_without_a_headline_above_stays_in_the_body():
    text = "Share\n\n" + PROSE_DECK.split("\n\n", 2)[2]  # page chrome, but no headline
    facts = extract(text)
    assert facts.subheadline == ""
    assert facts.statements[0].startswith("Growers President Ada Lind joined other farm groups")


# ---- the ranker on releases that ask no one (all text made up) ------------------------------


def _body_features(text):
    from campaigns.drafting.ranker import release_candidates

    return {c.sentence: c.features for c in release_candidates(text) if c.where == "body"}


def test_a_verb_with_a_thing_for_object_asks_no_one():
    found = _body_features(
        "Growers Respond\n\n"
        "RIVERTON (May 2, 2019) – Some lawmakers prefer fights to working together and "
        "encourage division. We encourage lawmakers to pass the farm bill.\n"
    )
    aside = "Some lawmakers prefer fights to working together and encourage division."
    assert found[aside]["ask_verb"] == 0
    assert found["We encourage lawmakers to pass the farm bill."]["ask_verb"] == 1


def test_a_permission_or_a_negated_need_is_no_modal():
    found = _body_features(
        "Growers Respond\n\n"
        "RIVERTON (May 2, 2019) – Farmers should be able to plan ahead. A drought doesn’t "
        "have to mean ruin. The next bill must protect family farms.\n"
    )
    assert [f["modal"] for f in found.values()] == [0, 0, 1]
    assert found["The next bill must protect family farms."]["first_modal"] == 1


def test_a_sentence_dated_on_a_day_and_reported_is_told_in_the_past():
    found = _body_features(
        "Growers Respond\n\n"
        "RIVERTON (May 2, 2019) – On March 4, the union sent a letter to the Senate. "
        "The Senate will vote on May 9 on the bill.\n"
    )
    assert [f["past_time"] for f in found.values()] == [1, 0]


def test_the_lede_is_the_first_sentence_of_todays_news():
    found = _body_features(
        "Growers Respond\n\n"
        "The following statement can be attributed to Ada Lind, president of the growers. "
        "On March 4, the union sent a letter to the Senate. "
        "The union opposes the farm bill. It would cut crop insurance.\n"
    )
    assert [f["lede"] for f in found.values()] == [0, 0, 1, 0]


def test_modals_weigh_apart_only_in_a_release_that_asks_no_one():
    reaction = _body_features(
        "Growers Respond\n\nRIVERTON (May 2, 2019) – The vote failed. The next bill must protect "
        "family farms.\n"
    )
    asking = _body_features(
        "Growers Respond\n\nRIVERTON (May 2, 2019) – We urge the Senate to pass the bill. The bill "
        "must protect farms.\n"
    )
    assert [f["modal_without_ask"] for f in reaction.values()] == [0, 1]
    assert [f["modal_without_ask"] for f in asking.values()] == [0, 0]


def test_a_closest_sentence_that_asks_no_one_does_not_weigh_on_the_topic():
    closest = "Every law ahead, on immigration or visas, must have the buy-in of both parties."
    text = (
        "Growers Respond\n\n"
        "RIVERTON (May 2, 2019) – The farm bill failed, and farmers lose their crop insurance. "
        f"{closest}\n"
    )
    facts = extract(text, ask=closest)
    assert facts.call_to_action == closest
    assert facts.topic == "Agriculture and Food"
