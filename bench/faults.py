"""By hand, not a test: what becomes of 1,000 letters per fault, drained by
real Celery workers on PostgreSQL + Redis into the local CWC server.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<your own database> \\
        .venv/bin/python bench/faults.py [--letters 1000] [--faults none,drip,postgres,broker]

Faults, each on letters of its own, a CWC server of its own and a worker
(2 processes) started for it:

- none: the control, nothing breaks; its drain time is the floor the others
  are compared with.
- drip: a tenth of the new messages are answered one byte a second (after
  the server recorded them), with DELIVERY_ATTEMPT_SECONDS=3.
- postgres: every second, until nine tenths are delivered, this script
  terminates the workers' PostgreSQL connections (pg_terminate_backend on
  the backends named by the workers' application_name, in the benchmark's
  own database only).
- broker: the broker (a Redis of its own, on a spare port) is stopped while
  the letters are submitted through the send view's own function, started
  again, and the worker started on it; beat's sweep hands the letters over.

Meanwhile this script does beat's work every 5 s (requeue_stuck, with a
lease of 130 s, just over the hard time limit that DELIVERY_ATTEMPT_SECONDS=3
implies; publish_pending with no grace period). Counted per fault: letters
delivered and failed, DeliveryIds the CWC server accepted, letters it
received more than once (each repeat answered 409: a second POST, never a
second letter), and requests for a letter that arrived while an earlier one
for it was still being answered (in flight twice at once).
"""

import argparse
import logging
import math
import sys
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack
from bench.delivery import submit_letters

FAULTS = ("none", "drip", "postgres", "broker")
ATTEMPT_SECONDS = 3
LEASE_SECONDS = 130  # > ATTEMPT_SECONDS + 120, as start-up demands
WORKER_APPLICATION = "constituent-bench-faults-worker"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--faults", default=",".join(FAULTS))
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    faults = args.faults.split(",")
    if unknown := set(faults) - set(FAULTS):
        parser.error(f"unknown faults: {', '.join(sorted(unknown))}")

    with stack.Stack() as running:
        from django.conf import settings

        settings.DELIVERY_LEASE_SECONDS = LEASE_SECONDS
        settings.DELIVERY_PUBLISH_GRACE_SECONDS = 0
        # A broker that is down is the point of one fault: its tracebacks,
        # one per submission, would bury the figures.
        logging.getLogger("campaigns.delivery.queue").setLevel(logging.CRITICAL)
        campaign = stack.bench_campaign()
        templates = stack.lookup_states()
        results = {"machine": stack.machine(), "args": vars(args), "faults": {}}
        for fault in faults:
            row = run(fault, running, campaign, templates, args)
            results["faults"][fault] = row
            print(f"{fault:<9} {row}", flush=True)
        floor = results["faults"].get("none", {}).get("seconds")
        for row in results["faults"].values():
            row["time_ratio"] = row["seconds"] / floor if floor else None
        stack.save("faults", results)
        print_table(results["faults"])


def run(fault, running, campaign, templates, args):
    from tests.support.processes import Redis, celery_broker, cwc_server

    supporters = math.ceil(args.letters / 3)
    cwc_args = ["--drip", "1", "--drip-rate", "0.1", "--seed", "7"] if fault == "drip" else []
    worker_env = {"DELIVERY_ATTEMPT_SECONDS": str(ATTEMPT_SECONDS)}
    worker_env["DELIVERY_LEASE_SECONDS"] = str(LEASE_SECONDS)
    meanwhile = [every(5, sweep)]
    with ExitStack() as cleanup:
        url, received = cleanup.enter_context(cwc_server(*cwc_args))
        worker_env |= {"CWC_HOUSE_URL": url, "CWC_SENATE_URL": url}
        if fault == "broker":
            broker = Redis().start()
            cleanup.callback(broker.stop)
            cleanup.enter_context(celery_broker(broker.url))
            worker_env["CELERY_BROKER_URL"] = broker.url
            broker.stop()
        submitting = time.monotonic()
        letter_ids = submit_letters(campaign, supporters, templates)
        submit_seconds = time.monotonic() - submitting
        if fault == "broker":
            broker.start()
        if fault == "postgres":
            worker_env["PGAPPNAME"] = WORKER_APPLICATION
            terminated = []
            meanwhile.append(every(1, lambda: terminate_workers(letter_ids, terminated)))

        before = running.env
        running.env = before | worker_env
        try:
            worker = running.worker(concurrency=args.concurrency, name=f"worker-faults-{fault}")
            started = time.monotonic()  # once the worker is ready: its start-up is not counted
            finished = wait_done(letter_ids, meanwhile)
            seconds = time.monotonic() - started
            running.stop(worker)
        finally:
            running.env = before
        row = count(letter_ids, received())
        row |= {
            "finished": finished,
            "seconds": round(seconds, 1),
            "submit_seconds": round(submit_seconds, 1),
        }
        if fault == "postgres":
            row["connections_terminated"] = sum(terminated)
        return row


def sweep():
    from campaigns import tasks

    tasks.requeue_stuck()
    tasks.publish_pending()


def every(seconds, action):
    last = [float("-inf")]

    def maybe():
        if time.monotonic() - last[0] >= seconds:
            last[0] = time.monotonic()
            action()

    return maybe


def terminate_workers(letter_ids, terminated):
    """The workers' connections, in this database only, until 90 % are delivered."""
    from django.db import connection

    from campaigns.models import Letter

    done = Letter.objects.filter(id__in=letter_ids, status=Letter.Status.DELIVERED).count()
    if done >= 0.9 * len(letter_ids):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            [WORKER_APPLICATION],
        )
        terminated.append(cursor.fetchone()[0])


def wait_done(letter_ids, meanwhile, *, stall=600):
    """Until every letter is delivered or failed, or nothing moved for `stall` s."""
    from django.db.models import Count

    from campaigns.models import Letter

    letters = Letter.objects.filter(id__in=letter_ids)
    finals = [Letter.Status.DELIVERED, Letter.Status.FAILED]
    seen, changed = None, time.monotonic()
    while time.monotonic() - changed < stall:
        for action in meanwhile:
            action()
        state = sorted(letters.values_list("status", "attempts").annotate(n=Count("id")))
        if state != seen:
            seen, changed = state, time.monotonic()
        if not letters.exclude(status__in=finals).exists():
            return True
        time.sleep(0.5)
    return False


def count(letter_ids, answers):
    from django.db.models import Count

    from campaigns.models import Letter

    letters = Letter.objects.filter(id__in=letter_ids)
    statuses = dict(letters.values_list("status").annotate(n=Count("id")))
    expected = {value.hex for value in letters.values_list("uuid", flat=True)}
    received = [item for item in answers["received"] if item in expected]
    repeats = [item for item in answers["repeats"] if item in expected]
    return {
        "letters": len(letter_ids),
        "delivered": statuses.get(Letter.Status.DELIVERED, 0),
        "failed": statuses.get(Letter.Status.FAILED, 0),
        "other": {k: v for k, v in statuses.items() if k not in ("delivered", "failed")},
        "received": len(set(received)),
        "lost": len(expected - set(received)),
        "received_twice": len(set(repeats)),
        "repeat_posts": len(repeats),
        "in_flight_twice": len([item for item in answers["overlaps"] if item in expected]),
        "max_attempts": max(letters.values_list("attempts", flat=True)),
    }


def print_table(rows):
    columns = ["letters", "delivered", "failed", "received", "received_twice", "in_flight_twice"]
    print(f"{'fault':<9}" + "".join(f"{name:>16}" for name in [*columns, "time_ratio"]))
    for fault, row in rows.items():
        ratio = f"{row['time_ratio']:.2f}" if row.get("time_ratio") else "-"
        print(f"{fault:<9}" + "".join(f"{row[name]:>16}" for name in columns) + f"{ratio:>16}")


if __name__ == "__main__":
    main()
