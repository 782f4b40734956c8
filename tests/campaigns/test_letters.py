import pytest

from campaigns import letters

SUPPORTER = letters.supporter_context(
    first_name="Maya",
    last_name="Ortiz",
    street="12 Elm St",
    city="Burlington",
    state="VT",
    zip_code="05401",
)
SENATOR = letters.recipient_context(
    salutation="Senator Welch", title="Senator", name="Peter Welch", last_name="Welch"
)


def test_fields_fill_in_two_passes():
    template = letters.LetterTemplate(
        subject="From {city}: act now",
        body="Dear {legislator_salutation},\n\nI live in {city}.\n\n{full_name}",
    )
    draft = letters.for_supporter(template, SUPPORTER)
    assert draft.subject == "From Burlington: act now"
    assert draft.body == "Dear {legislator_salutation},\n\nI live in Burlington.\n\nMaya Ortiz"

    sent = letters.for_recipient(draft, SENATOR)
    assert sent.body.startswith("Dear Senator Welch,")


def test_unknown_fields_are_named_on_save():
    with pytest.raises(letters.TemplateError) as error:
        letters.validate_template("Dear {legislator_salutation}, {zipcode} {secret_key}")
    message = str(error.value)
    assert "{secret_key}, {zipcode}" in message
    assert "{zip_code}" in message  # the allowed list helps the organizer fix it


def test_valid_template_passes():
    letters.validate_template("Dear {legislator_salutation}, from {first_name} in {city}.")


def test_template_text_cannot_reach_attributes_or_indexes():
    # str.format would evaluate these; plain substitution leaves them as text.
    text = "{first_name.__class__} {first_name[0]} {0} {}"
    assert letters.unknown_fields(text) == []
    assert letters.fill(text, SUPPORTER) == text


def test_supporter_braces_stay_as_typed():
    edited = "Dear {legislator_salutation}, my {favourite} word is {first_name}."
    sent = letters.for_recipient(letters.LetterTemplate("s", edited), SENATOR)
    assert sent.body == "Dear Senator Welch, my {favourite} word is {first_name}."


def test_values_are_inserted_verbatim_not_reinterpreted():
    # A name that looks like a field is not filled in a second time.
    values = letters.supporter_context(
        first_name="{legislator_salutation}",
        last_name="<script>",
        street="",
        city="",
        state="",
        zip_code="",
    )
    draft = letters.for_supporter(letters.LetterTemplate("s", "{full_name}"), values)
    assert draft.body == "{legislator_salutation} <script>"


def test_greeting_is_split_from_the_editable_text():
    greeting, rest = letters.split_greeting("Dear {legislator_salutation},\n\nPlease act.\n")
    assert greeting == "Dear {legislator_salutation},"
    assert rest == "Please act.\n"
    assert letters.join_greeting(greeting, "Edited.") == "Dear {legislator_salutation},\n\nEdited."


def test_a_first_line_without_an_office_field_is_not_a_greeting():
    body = "To whom it may concern,\n\nPlease act."
    assert letters.split_greeting(body) == ("", body)
    body = "Dear {first_name},\n\nPlease act."
    assert letters.split_greeting(body) == ("", body)
