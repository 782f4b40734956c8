"""The outbox: each letter written to a folder exactly as it would be sent.

The embedded default, so a demo leaves real artifacts to open: the CWC XML
for offices CWC reaches (checked against CWC's schema like the real thing,
when CWC_SCHEMA_PATH names one), the email for anyone else with an
address. The file is named after the letter's uuid, so a retry replaces it,
and written under a temporary name then renamed, so a reader never sees
half a letter.
"""

import os
import tempfile
from pathlib import Path

from django.conf import settings

from campaigns.delivery.channels import cwc, email
from campaigns.delivery.channels.cwc import schema
from campaigns.delivery.errors import DeliveryError
from campaigns.delivery.registry import Accepted


def accepts(letter):
    # What the real channels would send, so a demo shows which offices no
    # channel reaches.
    return cwc.accepts(letter) or email.accepts(letter)


def folder():
    return Path(settings.OUTBOX_DIR)


def send(letter):
    if cwc.accepts(letter):
        name, content = f"{letter.uuid.hex}.xml", cwc.document(letter, checked=schema.available())
    else:
        name, content = f"{letter.uuid.hex}.eml", email.eml(letter)
    try:
        write_atomically(folder() / name, content)
    except OSError as error:
        raise DeliveryError(f"Could not write to the outbox: {error}") from None
    return Accepted(name, f"Written to the outbox as {name}.")


def write_atomically(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", delete=False) as temporary:
        temporary.write(content)
    os.replace(temporary.name, path)
