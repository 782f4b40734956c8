"""Delivery end to end: real worker processes, a CWC server in its own
process, the suite's database and broker (or a private Redis), and faults.

"Exactly once" is counted where it matters, at the receiving server: every
letter's DeliveryId accepted once; a repeat sent after a crash is answered
409, which is how at-least-once sending arrives exactly once.
"""

import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client

from campaigns import tasks
from campaigns.delivery import sending
from campaigns.delivery.queue import enqueue_letters
from campaigns.models import Letter, Posting
from config.celery import app
from tests import factories
from tests.campaigns.conftest import BROWSER, letter_form, look_up
from tests.support.cwc_server import API_KEY
from tests.support.processes import Redis, cwc_server, wait_on_progress, worker

Status = Letter.Status
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("cwc_schema")]


def worker_settings(cwc_url, **overrides):
    return {
        "DELIVERY_CHANNELS": ["cwc"],
        "CWC_HOUSE_URL": cwc_url,
        "CWC_SENATE_URL": cwc_url,
        "CWC_HOUSE_API_KEY": API_KEY,
        "CWC_SENATE_API_KEY": API_KEY,
        "CWC_RATE_PER_SECOND": 0,
        "DELIVERY_BACKOFF_BASE": 0.05,
        "DELIVERY_BACKOFF_MAX": 0.5,
    } | overrides


@pytest.fixture(autouse=True)
def empty_queue():
    """Messages an earlier run left in the suite's broker would only slow this one."""
    app.control.purge()


def delivered():
    return Letter.objects.filter(status=Status.DELIVERED).count()


def letter_states():
    """Every letter's status and attempts: whatever a worker does changes it."""
    return sorted(Letter.objects.values_list("status", "attempts").annotate(Count("id")))


def wait_for_delivery(count, worker, *, supervised=False, meanwhile=()):
    """Wait until count letters are delivered, for as long as letters keep
    changing state (a loaded machine is slow, not stuck). A worker that dies
    fails the test at once, unless it is supervised: then it is started
    again, as a process manager would, and the test judges only what was
    delivered. Each of meanwhile is called at every look (beat, a fault)."""

    def done():
        if supervised and not worker.alive():
            worker.start()
        for action in meanwhile:
            action()
        # A supervised worker may die again between this look and the next:
        # only what it delivered decides, never whether it is up this instant.
        return delivered() >= count or (not supervised and not worker.alive())

    wait_on_progress(done, letter_states)
    if not supervised:
        assert worker.alive(), "the worker died; its log is printed below"
    assert delivered() >= count, f"{delivered()} delivered, not {count}"


def every(seconds, action):
    """action, at most once every so many seconds."""
    last = [float("-inf")]

    def maybe():
        if time.monotonic() - last[0] >= seconds:
            last[0] = time.monotonic()
            action()

    return maybe


def beat(settings, *, lease):
    """What beat does, every few seconds instead of every minute: requeue
    letters stuck longer than the lease, hand over what never reached the
    broker."""
    settings.DELIVERY_LEASE_SECONDS = lease
    settings.DELIVERY_PUBLISH_GRACE_SECONDS = 0

    def sweep():
        tasks.requeue_stuck()
        tasks.publish_pending()

    return every(3, sweep)


# Short deadlines, so a fault test does not wait minutes; the lease it sweeps
# with (10 s) outlasts the hard limit, as start-up demands of real settings.
SHORT_ATTEMPTS = {
    "DELIVERY_ATTEMPT_SECONDS": 2,
    "DELIVERY_SOFT_TIME_LIMIT": 4,
    "DELIVERY_HARD_TIME_LIMIT": 6,
}
LEASE = 10


def assert_each_received_exactly_once(letters, received):
    expected = sorted(letter.uuid.hex for letter in letters)
    assert sorted(received["received"]) == expected  # every one, none twice
    assert set(received["repeats"]) <= set(expected)
    print(f"{len(expected)} letters received once each; {len(received['repeats'])} repeats refused")


def test_a_thousand_letters_each_arrive_exactly_once():
    letters = factories.letters(1000)
    with (
        cwc_server() as (url, received),
        worker(
            broker_url=settings.CELERY_BROKER_URL, settings_overrides=worker_settings(url)
        ) as running,
    ):
        started = time.monotonic()
        with transaction.atomic():
            enqueue_letters([letter.id for letter in letters])
        wait_for_delivery(1000, running)
        elapsed = time.monotonic() - started
        assert_each_received_exactly_once(letters, received())

    print(f"1,000 letters delivered in {elapsed:.1f} s")
    assert set(Letter.objects.values_list("channel", flat=True)) == {"cwc"}
    assert set(Letter.objects.values_list("attempts", flat=True)) == {1}


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(settings):
    letters = factories.letters(300)
    # Slow answers, so the kill lands with letters in flight.
    with cwc_server("--delay", "0.01") as (url, received):
        options = {
            "broker_url": settings.CELERY_BROKER_URL,
            "settings_overrides": worker_settings(url),
        }
        with worker(**options) as first:
            with transaction.atomic():
                enqueue_letters([letter.id for letter in letters])
            wait_for_delivery(50, first)
            first.kill()
        assert delivered() < 300, "the batch finished before the kill"

        # What beat would do once the lease ran out.
        settings.DELIVERY_LEASE_SECONDS = 0
        tasks.requeue_stuck()
        with worker(**options) as second:
            wait_for_delivery(300, second)
        assert_each_received_exactly_once(letters, received())


def test_a_flaky_office_gets_every_letter_in_the_end():
    letters = factories.letters(200)
    with (
        cwc_server("--fail-rate", "0.3", "--seed", "6") as (url, received),
        worker(
            broker_url=settings.CELERY_BROKER_URL,
            # 0.3 ** 20: no letter runs out of attempts by bad luck.
            settings_overrides=worker_settings(url, DELIVERY_MAX_ATTEMPTS=20),
        ) as running,
    ):
        with transaction.atomic():
            enqueue_letters([letter.id for letter in letters])
        wait_for_delivery(200, running)
        assert_each_received_exactly_once(letters, received())

    attempts = list(Letter.objects.values_list("attempts", flat=True))
    assert sum(attempts) > 200 and max(attempts) >= 2  # retries, and they were counted
    retried = Letter.objects.filter(attempts__gte=2).first()
    assert retried.last_error == (
        "cwc: CWC is unavailable for now (HTTP 503): Service temporarily unavailable"
    )


@pytest.mark.skipif(not Redis.available(), reason="redis-server is not installed")
def test_a_redis_restart_mid_run_loses_nothing(settings):
    letters = factories.letters(300)
    redis = Redis().start()
    try:
        with (
            cwc_server("--delay", "0.01") as (url, received),
            worker(
                broker_url=redis.url, settings_overrides=worker_settings(url, **SHORT_ATTEMPTS)
            ) as running,
        ):
            publish(redis.url, [letter.id for letter in letters])
            wait_for_delivery(50, running)
            redis.stop()  # it keeps nothing on disk: every queued message is gone
            time.sleep(1)
            redis.start()
            assert delivered() < 300, "the batch finished before Redis stopped"

            # Kombu's Redis transport can crash the worker, at any moment after
            # the restart, while it acks into the vanished connection (celery/
            # kombu issues on _connparams), taking the messages it had fetched
            # with it; in production the process manager restarts it, as the
            # supervision here does, and beat's sweep puts those letters back,
            # as it does here every few seconds. No letter may be lost.
            settings.DELIVERY_LEASE_SECONDS = 10
            sweep = every(3, lambda: publish(redis.url, sending.requeue_stuck()[0]))
            wait_for_delivery(300, running, supervised=True, meanwhile=[sweep])
            assert_each_received_exactly_once(letters, received())
    finally:
        redis.stop()


def publish(broker_url, letter_ids):
    """deliver.delay for each id, to a broker that is not the suite's."""
    with app.connection_for_write(broker_url) as connection:
        for letter_id in letter_ids:
            tasks.deliver.apply_async((letter_id,), connection=connection)


@pytest.mark.faults
def test_a_dripping_answer_is_cut_at_the_deadline_and_no_letter_is_sent_twice_at_once(settings):
    letters = factories.letters(40)
    with (
        cwc_server("--drip", "1", "--drip-rate", "0.25", "--seed", "3") as (url, received),
        worker(
            broker_url=settings.CELERY_BROKER_URL,
            # A retry a second later, not a few milliseconds: time for the
            # server to see the cut exchange end before the next one comes.
            settings_overrides=worker_settings(
                url, **SHORT_ATTEMPTS, DELIVERY_BACKOFF_BASE=1, DELIVERY_BACKOFF_MAX=2
            ),
        ) as running,
    ):
        with transaction.atomic():
            enqueue_letters([letter.id for letter in letters])
        wait_for_delivery(40, running, meanwhile=[beat(settings, lease=LEASE)])
        answers = received()
        assert_each_received_exactly_once(letters, answers)
        assert answers["overlaps"] == []  # never in flight twice at once

    cut = Letter.objects.filter(last_error="cwc: CWC did not finish answering within 2 seconds.")
    assert cut.exists(), "no answer dripped"
    assert min(cut.values_list("attempts", flat=True)) == 2  # cut, then recognised: 409
    print(f"{cut.count()} dripping answers cut at the deadline")


WORKER_APPLICATION = "constituent-test-worker"


@pytest.mark.faults
@pytest.mark.skipif(connection.vendor != "postgresql", reason="terminates PostgreSQL connections")
def test_terminated_database_connections_drop_nothing_and_send_nothing_twice(settings):
    letters = factories.letters(60)
    terminated = []

    def terminate_the_workers_connections():
        # Only the workers' own, found by the name they connect with, in
        # this test's own database.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = %s",
                [WORKER_APPLICATION],
            )
            terminated.append(cursor.fetchone()[0])

    with (
        cwc_server("--delay", "0.02") as (url, received),
        worker(
            broker_url=settings.CELERY_BROKER_URL,
            settings_overrides=worker_settings(url, **SHORT_ATTEMPTS),
            env={"PGAPPNAME": WORKER_APPLICATION},
        ) as running,
    ):
        with transaction.atomic():
            enqueue_letters([letter.id for letter in letters])
        faults = every(0.3, lambda: delivered() < 50 and terminate_the_workers_connections())
        wait_for_delivery(60, running, meanwhile=[faults, beat(settings, lease=LEASE)])
        answers = received()
        assert_each_received_exactly_once(letters, answers)
        assert answers["repeats"] == []  # no letter sent again once an office had it

    assert sum(terminated) > 0, "no connection was terminated mid-drain"
    print(f"{sum(terminated)} worker connections terminated mid-drain")


@pytest.mark.faults
@pytest.mark.usefixtures("offline_lookup")
def test_letters_sent_while_the_broker_is_down_all_arrive_once_it_returns(
    private_broker, campaign, vermont, settings
):
    settings.SENDS_PER_IP_PER_HOUR = 0
    browsers = []
    for number in range(15):
        browser = Client(headers={"User-Agent": BROWSER})
        look_up(browser, campaign, email=f"supporter{number}@example.org")
        browsers.append((browser, letter_form(browser, campaign)))

    private_broker.stop()
    for browser, form in browsers:
        response = browser.post(f"/c/{campaign.slug}/send/", form)
        assert response.status_code == 302
        assert "Thank you" in browser.get(response["Location"]).content.decode()
    letters = list(Letter.objects.all())
    assert len(letters) == 45
    assert not any(letter.published_at for letter in letters)

    private_broker.start()
    with (
        cwc_server() as (url, received),
        worker(broker_url=private_broker.url, settings_overrides=worker_settings(url)) as running,
    ):
        wait_for_delivery(45, running, meanwhile=[beat(settings, lease=600)])
        assert_each_received_exactly_once(letters, received())


@pytest.mark.faults
@pytest.mark.pending_postings
@pytest.mark.usefixtures("offline_lookup")
def test_sends_posted_while_the_broker_is_down_are_written_and_delivered_once_it_returns(
    private_broker, campaign, vermont, settings
):
    """The request's one task never reaches the broker: beat's sweep hands
    it over again, a real worker writes the letters, and they arrive once."""
    settings.SENDS_PER_IP_PER_HOUR = 0
    browsers = []
    for number in range(15):
        browser = Client(headers={"User-Agent": BROWSER})
        look_up(browser, campaign, email=f"supporter{number}@example.org")
        browsers.append((browser, letter_form(browser, campaign)))

    private_broker.stop()
    for browser, form in browsers:
        response = browser.post(f"/c/{campaign.slug}/send/", form)
        assert response.status_code == 302
        assert "being prepared" in browser.get(response["Location"]).content.decode()
    assert Posting.objects.filter(accepted_at__isnull=True).count() == 15
    assert not Letter.objects.exists()

    private_broker.start()
    with (
        cwc_server() as (url, received),
        worker(broker_url=private_broker.url, settings_overrides=worker_settings(url)) as running,
    ):
        wait_for_delivery(45, running, meanwhile=[beat(settings, lease=600)])
        assert not Posting.objects.filter(accepted_at__isnull=True).exists()
        assert_each_received_exactly_once(list(Letter.objects.all()), received())
