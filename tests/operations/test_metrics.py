"""/metrics: who may read it, and figures that match the database."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.models import Count
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from campaigns.models import Letter
from config.celery import app
from config.tasks import clear_expired_sessions
from legislators.lookup import find_representation
from legislators.models import Chamber
from operations import figures
from tests import factories

pytestmark = pytest.mark.django_db
Status = Letter.Status


def scrape(client, **headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[sample.name, tuple(sorted(sample.labels.items()))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def test_other_addresses_need_the_token(client, settings):
    settings.METRICS_TOKEN = "scrape-secret-1234"
    outside = {"REMOTE_ADDR": "203.0.113.9"}
    refused = client.get("/metrics", **outside)
    assert refused.status_code == 403
    assert "METRICS_TOKEN" in refused.content.decode()
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope", **outside)
    assert wrong.status_code == 403
    assert scrape(client, HTTP_AUTHORIZATION="Bearer scrape-secret-1234", **outside)


def test_without_a_token_only_the_allow_list_reads(client, settings):
    settings.METRICS_TOKEN = ""
    assert (
        client.get("/metrics", HTTP_AUTHORIZATION="Bearer ", REMOTE_ADDR="10.9.9.9").status_code
        == 403
    )
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1


def make_letters():
    """Letters in several states, channels and chambers, with known latencies."""
    now = timezone.now()
    senator, representative = factories.legislator("VT"), factories.legislator("VT", district=0)
    campaign = factories.campaign()
    for seconds in (3, 100, 7200):
        factories.letter(
            campaign,
            to=representative,
            status=Status.DELIVERED,
            channel="cwc",
            created_at=now - timedelta(seconds=seconds),
            delivered_at=now,
        )
    factories.letter(
        campaign, to=senator, status=Status.DELIVERED, channel="email", delivered_at=now
    )
    factories.letter(
        campaign, to=senator, status=Status.QUEUED, created_at=now - timedelta(hours=2)
    )
    factories.letter(campaign, to=senator, status=Status.RETRYING)
    factories.letter(campaign, to=representative, status=Status.SENDING)
    factories.letter(campaign, to=representative, status=Status.FAILED, channel="cwc")
    factories.letter(campaign, to=factories.custom_target(campaign), status=Status.QUEUED)


def test_letter_figures_match_the_database(client):
    make_letters()
    samples = scrape(client)
    assert value(samples, "constituent_database_up") == 1

    for row in Letter.objects.values("status", "channel").annotate(n=Count("id")):
        labels = {"state": row["status"], "channel": row["channel"] or "none"}
        assert value(samples, "constituent_letters", **labels) == row["n"], labels
    waiting = Letter.objects.filter(status__in=[Status.QUEUED, Status.RETRYING, Status.SENDING])
    for chamber in (Chamber.SENATE, Chamber.HOUSE):
        expected = waiting.filter(legislator__chamber=chamber).count()
        assert value(samples, "constituent_letters_waiting", chamber=chamber) == expected
    assert value(samples, "constituent_letters_waiting", chamber="custom") == 1
    assert (
        7200 <= value(samples, "constituent_oldest_waiting_letter_seconds", chamber="senate") < 7300
    )

    histogram = "constituent_delivery_latency_seconds"
    assert value(samples, f"{histogram}_bucket", channel="cwc", le="5.0") == 1
    assert value(samples, f"{histogram}_bucket", channel="cwc", le="300.0") == 2
    assert value(samples, f"{histogram}_bucket", channel="cwc", le="14400.0") == 3
    assert value(samples, f"{histogram}_count", channel="cwc") == 3
    assert value(samples, f"{histogram}_sum", channel="cwc") == pytest.approx(7303, abs=1)
    assert value(samples, f"{histogram}_count", channel="email") == 1


def test_requests_are_counted_by_view_and_status(client):
    labels = {"view": "healthz", "method": "GET", "status": "200"}
    before = value(scrape(client), "constituent_http_requests_total", **labels)
    client.get("/healthz")
    client.get("/healthz")
    assert value(scrape(client), "constituent_http_requests_total", **labels) == before + 2
    client.get("/no-such-page/")
    assert (
        value(
            scrape(client),
            "constituent_http_requests_total",
            view="unmatched",
            method="GET",
            status="404",
        )
        >= 1
    )


def test_lookups_are_counted_by_backend_and_outcome(client, settings):
    settings.DISTRICT_LOOKUP_BACKENDS = ["zipcode"]
    factories.zip_rows(("05401", "VT", 0))
    factories.delegation("VT", 0)
    samples = scrape(client)
    found = value(samples, "constituent_district_lookups_total", backend="zipcode", outcome="found")
    missing = value(
        samples, "constituent_district_lookups_total", backend="zipcode", outcome="not_found"
    )
    find_representation(zip_code="05401")
    find_representation(zip_code="05402")
    samples = scrape(client)
    assert (
        value(samples, "constituent_district_lookups_total", backend="zipcode", outcome="found")
        == found + 1
    )
    assert (
        value(samples, "constituent_district_lookups_total", backend="zipcode", outcome="not_found")
        == missing + 1
    )


def test_the_broker_backlog_is_the_number_of_waiting_messages(client):
    app.control.purge()
    for _ in range(3):
        clear_expired_sessions.delay()
    samples = scrape(client)
    assert value(samples, "constituent_broker_up") == 1
    assert value(samples, "constituent_broker_queue_messages", queue="celery") == 3
    app.control.purge()


def test_a_database_outage_is_a_figure_not_an_error(client, monkeypatch):
    def broken():
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(figures, "_count_letters", broken)
    samples = scrape(client)
    assert value(samples, "constituent_database_up") == 0
    assert ("constituent_letters_waiting", (("chamber", "senate"),)) not in samples
