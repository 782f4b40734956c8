"""Figures read at scrape time from what every node shares: the database,
the broker and the workers' reports. Any web node's /metrics tells the same
story, so it does not matter which one Prometheus reaches.

The database figures are cached for FIGURES_CACHE_SECONDS in the shared
cache, so several scrapers and nodes cost one set of queries.
"""

from datetime import timedelta

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Count, DurationField, ExpressionWrapper, F, Min, Q, Sum
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from campaigns.models import Letter
from config.celery import app
from operations import workers

FIGURES_CACHE_SECONDS = 15
WAITING = [Letter.Status.QUEUED, Letter.Status.RETRYING, Letter.Status.SENDING]
# Seconds from a supporter's send to the office's acceptance.
LATENCY_BUCKETS = (1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600)


def letter_figures():
    """Plain numbers (cached), so the cache never holds a prometheus object."""
    return cache.get_or_set("operations:figures", _count_letters, FIGURES_CACHE_SECONDS)


def _count_letters():
    now = timezone.now()
    by_state = [
        (row["status"], row["channel"] or "none", row["n"])
        for row in Letter.objects.values("status", "channel").annotate(n=Count("id"))
    ]
    waiting = [
        (row["legislator__chamber"] or "custom", row["n"], (now - row["oldest"]).total_seconds())
        for row in Letter.objects.filter(status__in=WAITING)
        .values("legislator__chamber")
        .annotate(n=Count("id"), oldest=Min("created_at"))
    ]
    latency = ExpressionWrapper(F("delivered_at") - F("created_at"), output_field=DurationField())
    delivered = Letter.objects.filter(status=Letter.Status.DELIVERED, delivered_at__isnull=False)
    histograms = []
    for row in (
        delivered.annotate(latency=latency)
        .values("channel")
        .annotate(
            n=Count("id"),
            total=Sum("latency"),
            **{
                f"le_{bucket}": Count("id", filter=Q(latency__lte=timedelta(seconds=bucket)))
                for bucket in LATENCY_BUCKETS
            },
        )
    ):
        buckets = [(str(float(b)), row[f"le_{b}"]) for b in LATENCY_BUCKETS]
        buckets.append(("+Inf", row["n"]))
        total = row["total"].total_seconds() if row["total"] else 0.0
        histograms.append((row["channel"] or "none", buckets, total))
    return {"by_state": by_state, "waiting": waiting, "latency": histograms}


def broker_backlog():
    """Messages waiting on the broker's queue, or None when it cannot be reached."""
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            try:
                declared = conn.default_channel.queue_declare(
                    queue=app.conf.task_default_queue, passive=True
                )
            except conn.channel_errors:
                return 0  # nobody has declared the queue yet: nothing waits on it
            return declared.message_count
    except (BrokerError, OSError):
        return None


class SharedFigures:
    """A prometheus collector of the figures above and the workers' reports."""

    def collect(self):
        try:
            figures = letter_figures()
        except DatabaseError:
            figures = None
        database = GaugeMetricFamily(
            "constituent_database_up", "1 when the database answered this scrape."
        )
        database.add_metric([], 0 if figures is None else 1)
        yield database
        if figures is not None:
            yield from self.letter_families(figures)
        yield from self.broker_families()
        yield from workers.metric_families()

    def letter_families(self, figures):
        letters = GaugeMetricFamily(
            "constituent_letters",
            "Letters by delivery state and channel.",
            labels=["state", "channel"],
        )
        for state, channel, count in figures["by_state"]:
            letters.add_metric([state, channel], count)
        yield letters

        waiting = GaugeMetricFamily(
            "constituent_letters_waiting",
            "Letters queued, sending or waiting to retry, by chamber (custom: email targets).",
            labels=["chamber"],
        )
        oldest = GaugeMetricFamily(
            "constituent_oldest_waiting_letter_seconds",
            "Age of the oldest letter not yet delivered or failed, by chamber.",
            labels=["chamber"],
        )
        for chamber, count, age in figures["waiting"]:
            waiting.add_metric([chamber], count)
            oldest.add_metric([chamber], age)
        yield waiting
        yield oldest

        latency = HistogramMetricFamily(
            "constituent_delivery_latency_seconds",
            "Time from a supporter's send to delivery, by channel.",
            labels=["channel"],
        )
        for channel, buckets, total in figures["latency"]:
            latency.add_metric([channel], buckets, total)
        yield latency

    def broker_families(self):
        backlog = broker_backlog()
        up = GaugeMetricFamily("constituent_broker_up", "1 when the broker answered this scrape.")
        up.add_metric([], 0 if backlog is None else 1)
        yield up
        if backlog is not None:
            queue = GaugeMetricFamily(
                "constituent_broker_queue_messages",
                "Task messages waiting on the broker's queue.",
                labels=["queue"],
            )
            queue.add_metric([app.conf.task_default_queue], backlog)
            yield queue
