"""Letter templates with a fixed whitelist of merge fields.

Organizers write templates such as "Dear {legislator_salutation}, ...".
Fields are replaced by plain string substitution, never by str.format, so
template text cannot reach attributes, indexes or any other data. Unknown
fields are refused when the organizer saves (validate_template); at send time
they cannot occur, and a supporter's own braces stay as typed.
"""

import re
from dataclasses import dataclass

SUPPORTER_FIELDS = {
    "first_name": "Your first name",
    "last_name": "Your last name",
    "full_name": "Your full name",
    "street": "Your street address",
    "city": "Your city",
    "state": "Your state",
    "zip_code": "Your ZIP code",
}
LEGISLATOR_FIELDS = {
    "legislator_salutation": 'How the office is addressed, e.g. "Senator Padilla"',
    "legislator_title": 'The office, e.g. "Senator" or "Representative"',
    "legislator_name": "The member's full name",
    "legislator_last_name": "The member's last name",
}
MERGE_FIELDS = SUPPORTER_FIELDS | LEGISLATOR_FIELDS

FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Where a drafted letter asks the supporter for one sentence of their own. A
# letter still holding it is refused at submit: offices discard form mail.
PERSONAL_PLACEHOLDER = "[Replace this line with one sentence of your own: why this matters to you.]"


def has_placeholder(text):
    return PERSONAL_PLACEHOLDER in text


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class LetterTemplate:
    subject: str
    body: str


def unknown_fields(text):
    return sorted({name for name in FIELD.findall(text) if name not in MERGE_FIELDS})


def validate_template(text, *, label="The letter"):
    """Raise TemplateError naming every field we could not fill in."""
    unknown = unknown_fields(text)
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        allowed = ", ".join("{" + name + "}" for name in MERGE_FIELDS)
        raise TemplateError(f"{label} uses unknown merge fields {names}. Use only {allowed}.")


def fill(text, values):
    """Replace the fields named in values; leave any other {word} as written."""
    return FIELD.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def supporter_context(*, first_name, last_name, street, city, state, zip_code):
    return {
        "first_name": first_name,
        "last_name": last_name,
        "full_name": f"{first_name} {last_name}".strip(),
        "street": street,
        "city": city,
        "state": state,
        "zip_code": zip_code,
    }


def recipient_context(*, salutation, title, name, last_name):
    return {
        "legislator_salutation": salutation,
        "legislator_title": title,
        "legislator_name": name,
        "legislator_last_name": last_name,
    }


def for_supporter(template, supporter_values):
    """The letter as the supporter edits it: their own fields filled in,
    the recipient's left for each office."""
    return LetterTemplate(
        subject=fill(template.subject, supporter_values),
        body=fill(template.body, supporter_values),
    )


def for_recipient(template, recipient_values):
    """The letter one office receives."""
    return LetterTemplate(
        subject=fill(template.subject, recipient_values),
        body=fill(template.body, recipient_values),
    )


def split_greeting(body):
    """("Dear {legislator_salutation},", rest) when the body opens with a
    greeting line naming the office, else ("", body).

    Supporters edit the rest; the greeting stays per office, so each one
    reads "Dear Senator Padilla," without the supporter touching it.
    """
    first, _, rest = body.partition("\n")
    fields = set(FIELD.findall(first))
    if fields and fields <= LEGISLATOR_FIELDS.keys() and len(first) <= 80:
        return first.strip(), rest.lstrip("\n")
    return "", body


def join_greeting(greeting, rest):
    return f"{greeting}\n\n{rest}" if greeting else rest
