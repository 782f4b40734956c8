"""Federal bill and resolution numbers, in the Congress.gov citation form.

Federal measures are H.R., S., H.Res., S.Res., H.J.Res., S.J.Res., H.Con.Res.
and S.Con.Res. followed by a number; writers drop or add periods and spaces
("H.R.4444", "H. R. 763", "S.2147"). State bills ("S.B. 123", "A.B. 5",
"Senate Bill 1", "SB1", "HB 12") never match: their letters differ.
"""

import re

_BILL = re.compile(
    r"(?<![A-Za-z.])"
    r"(?P<kind>H\.?\s?R|H\.?\s?Res|S\.?\s?Res|H\.?\s?J\.?\s?Res|S\.?\s?J\.?\s?Res|"
    r"H\.?\s?Con\.?\s?Res|S\.?\s?Con\.?\s?Res|S)"
    r"(?P<dot>\.?)\s?(?P<number>\d{1,5})\b(?![.,]\d)"
)
_PREFIX = {
    "hr": "H.R.",
    "s": "S.",
    "hres": "H.Res.",
    "sres": "S.Res.",
    "hjres": "H.J.Res.",
    "sjres": "S.J.Res.",
    "hconres": "H.Con.Res.",
    "sconres": "S.Con.Res.",
}


def federal_bills(text):
    """Every federal bill number in text, normalized, in order of first mention."""
    found = []
    for match in _BILL.finditer(text):
        key = re.sub(r"[^a-z]", "", match.group("kind").lower())
        if key == "s" and not match.group("dot"):
            continue  # a bare "S 5" is too often something else (a form, a route)
        bill = f"{_PREFIX[key]} {int(match.group('number'))}"
        if bill not in found:
            found.append(bill)
    return found
