"""Log lines: JSON with a request id that follows a submission into the
worker's tasks, and nothing personal in any of them.

A supporter sends letters through the real views; a real worker process
delivers them. Every line both processes logged is read back and searched
for what the supporter typed.
"""

import html
import io
import json
import logging
import re

import pytest
from django.test import Client

from campaigns.models import Letter
from config import logs
from config.celery import app
from tests import factories
from tests.support import processes

pytestmark = pytest.mark.django_db(transaction=True)

REQUEST_ID = "lb-7f3a9c2e-0001"
REQUEST_ID_HEADER = "X-Request-ID"
SUPPORTER = {
    "prefix": "Ms.",
    "first_name": "Zenobia",
    "last_name": "Quarrington",
    "email": "zenobia.q@example.org",
    "street": "4417 Juniper Hollow Rd",
    "city": "Burlington",
    "state": "VT",
    "zip_code": "05401",
    "phone": "802-555-0147",
}
LETTER_WORDS = "marmalade lighthouse"  # only in this supporter's letter
PERSONAL = [
    SUPPORTER["first_name"],
    SUPPORTER["last_name"],
    SUPPORTER["email"],
    SUPPORTER["street"],
    "Juniper",
    "555-0147",
    "5550147",
    LETTER_WORDS,
]


@pytest.fixture
def web_log():
    """Every log line this process writes, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.json_formatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def send_letters(client):
    campaign = factories.campaign(
        slug="json-logs",
        letter_body="Dear {legislator_salutation},\n\nPlease fund the libraries of {city} "
        "this year, every one of them.\n\n{full_name}",
    )
    factories.delegation("VT", 0)
    factories.zip_rows(("05401", "VT", 0))
    page = f"/c/{campaign.slug}/"
    headers = {"X-Request-ID": REQUEST_ID}
    assert client.post(page, SUPPORTER, headers=headers).status_code == 302
    form = client.get(page).content.decode()
    body = html.unescape(
        re.search(r'<textarea name="body"[^>]*>\n?(.*?)</textarea>', form, re.S)[1]
    )
    letter = {
        "key": re.search(r'name="key" value="([0-9a-f]{32})"', form)[1],
        "subject": "A plea about " + LETTER_WORDS,
        "body": body + f"\n\nRemember the {LETTER_WORDS}.",
    }
    response = client.post(f"{page}send/", letter, headers=headers)
    assert response.status_code == 302, response.content.decode()[:500]
    assert response[REQUEST_ID_HEADER] == REQUEST_ID
    return campaign


def json_lines(text):
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


# The worker, not this process, accepts the send: its task carries the id on.
@pytest.mark.pending_postings
def test_a_submission_s_request_id_reaches_its_tasks_and_nothing_personal_is_logged(
    web_log, monkeypatch, tmp_path, settings
):
    settings.DISTRICT_LOOKUP_BACKENDS = ["zipcode"]
    monkeypatch.setenv("LOG_FORMAT", "json")
    overrides = {"OUTBOX_DIR": str(tmp_path / "outbox"), "DISTRICT_LOOKUP_BACKENDS": ["zipcode"]}
    client = Client(headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64)"})
    # Tasks earlier tests left in the suite's broker: a delivery task among
    # them claims every letter due, this send's too, under its own request id.
    app.control.purge()
    with processes.worker(
        broker_url=settings.CELERY_BROKER_URL,
        settings_overrides=overrides,
        pool="solo",
        log_level="INFO",
    ) as worker:
        send_letters(client)
        assert processes.wait_for(
            lambda: Letter.objects.filter(status=Letter.Status.DELIVERED).count() == 3, seconds=60
        ), "the worker did not deliver the letters"
        worker_output = worker.stop()

    web_lines = json_lines(web_log.getvalue())
    requests = [line for line in web_lines if line["logger"] == "constituent.requests"]
    assert {line["view"] for line in requests} >= {"campaign", "campaign_send"}
    sent = [line for line in requests if line["view"] == "campaign_send"]
    assert [(line["request_id"], line["status"]) for line in sent] == [(REQUEST_ID, 302)]

    worker_lines = json_lines(worker_output)
    tasks = [line for line in worker_lines if line.get("request_id") == REQUEST_ID]
    finished = [line["message"] for line in tasks if "succeeded" in line["message"]]
    assert any("campaigns.tasks.accept_posting" in message for message in finished)
    # The three letters of the submission, delivered by one task.
    assert sum("campaigns.tasks.deliver_batch" in message for message in finished) == 1, (
        worker_output
    )
    assert any("campaigns.tasks.send_confirmation" in message for message in finished)

    everything = (web_log.getvalue() + worker_output).lower()
    for secret in PERSONAL:
        assert secret.lower() not in everything, f"{secret!r} is in the logs"


def test_every_line_is_json_with_a_request_id(web_log, client):
    client.get("/healthz", headers={"X-Request-ID": "not a token!"})
    lines = [json.loads(line) for line in web_log.getvalue().splitlines()]
    assert lines, "nothing was logged"
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id"} <= set(line)
    # An id in a shape we do not trust is replaced by one of ours.
    assert re.fullmatch(r"[0-9a-f]{32}", lines[-1]["request_id"])
