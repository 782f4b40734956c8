"""By hand, not a test: a spike of 10,000 letters submitted within a minute,
then drained into the local CWC server; nothing lost, nothing doubled.

    .venv/bin/python bench/spike.py [--letters 10000] [--connections 16]
                                    [--gunicorn-workers 4] [--concurrency 2]
                                    [--worker-args "..."] [--gunicorn-args "..."]

The whole stack runs at once on this machine, as in production: gunicorn
(4 sync workers), one `celery -A config worker` (2 processes) draining while
the letters arrive, PostgreSQL, Redis, the CWC server and the load generator
(wrk). Each of the --letters / 3 submissions has its own supporter, session
and idempotency key. Baseline from the same run: raw HTTP posts of the same
XML from one process, the time the CWC server alone needs for the letters.

Checks: every POST answered with the redirect to the thanks page, three
letters per submission, every letter DELIVERED, and the CWC server received
each DeliveryId exactly once (no 409s: no letter was even sent twice).
"""

import argparse
import math
import secrets
import shlex
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack
from bench.delivery import check_server, post_raw, raw_documents


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--gunicorn-args", default="")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--worker-args", default="")
    parser.add_argument("--raw", type=int, default=1000, help="raw posts in the baseline")
    parser.add_argument("--submit-timeout", type=int, default=600)
    parser.add_argument("--drain-timeout", type=int, default=3600)
    parser.add_argument("--label", default="spike")
    args = parser.parse_args()
    stack.which("wrk")

    with stack.Stack() as running:
        from django.db.models import Max, Min

        from campaigns import letters as letter_texts
        from campaigns.models import Letter, Posting

        campaign = stack.bench_campaign()
        templates = stack.lookup_states()
        supporters = math.ceil(args.letters / 3)
        sessions = stack.craft_sessions(campaign, supporters, secrets.token_hex(4), templates)
        lines = stack.write_lines("spike-sessions.txt", sessions)
        initial = stack.letter_step(campaign, templates[0]).initial
        # The supporter's own sentence where the letter asks for one (the
        # form refuses the placeholder).
        body = initial["body"].replace(
            letter_texts.PERSONAL_PLACEHOLDER, "My family lives here and this matters to us."
        )
        form = stack.write_lines(
            "form.txt", [urlencode({"subject": initial["subject"], "body": body})]
        )
        url, _ = running.gunicorn(
            workers=args.gunicorn_workers, extra=shlex.split(args.gunicorn_args)
        )
        running.worker(concurrency=args.concurrency, extra=shlex.split(args.worker_args))
        results = {"machine": stack.machine(), "args": vars(args)}

        # A send's request writes a posting; the workers write its letters.
        submissions = Posting.objects.filter(campaign=campaign)
        started = time.monotonic()
        load = stack.wrk(
            f"{url}{campaign.get_absolute_url()}send/",
            script="flow.lua",
            # wrk stops once every supporter has sent; this only bounds a stack that cannot.
            seconds=args.submit_timeout,
            connections=args.connections,
            env={
                "BENCH_MODE": "send",
                "BENCH_FORM": str(form),
                "BENCH_LINES": str(lines),
                "BENCH_NONCE": secrets.token_hex(4),
                "BENCH_UA": stack.USER_AGENT,
                "BENCH_THREADS": "2",
            },
            until=all_sent(submissions, supporters),
        )
        submitted = time.monotonic()
        letters = Letter.objects.filter(campaign=campaign)
        window = submissions.aggregate(first=Min("created_at"), last=Max("created_at"))
        results["submit"] = {
            "seconds": submitted - started,
            # From the first submission's row to the last one's.
            "window_seconds": (window["last"] - window["first"]).total_seconds(),
            "statuses": load["statuses"],
            "socket_errors": load["socket_errors"],
            "latency_ms": load["latency_ms"],
            "submissions": submissions.count(),
            "letters": letters.count(),
        }
        print(f"submitted: {results['submit']}", flush=True)

        deadline = time.monotonic() + args.drain_timeout
        progress = []
        while time.monotonic() < deadline:
            # Requests still in flight when wrk stopped may add a few letters.
            done = letters.filter(status__in=[Letter.Status.DELIVERED, Letter.Status.FAILED])
            count, total = done.count(), letters.count()
            progress.append((round(time.monotonic() - started, 1), count))
            if count == total and not submissions.filter(accepted_at__isnull=True).exists():
                break
            time.sleep(1)
        results["submit"]["letters_after_in_flight"] = letters.count()
        drained = time.monotonic()
        ids = list(letters.values_list("id", flat=True))
        received = running.cwc_received()
        results["drain"] = {
            "seconds_from_first_post": drained - started,
            "seconds_after_last_post": drained - submitted,
            "statuses": dict(letters.values_list("status").annotate(n=stack_count()).order_by()),
            "max_attempts": max(letters.values_list("attempts", flat=True)),
            "progress": progress[:: max(1, len(progress) // 40)],
        }
        results["server"] = check_server(ids, {"received": [], "repeats": []}, received)
        results["drain"]["rate"] = len(ids) / (drained - started)
        # The floor: the CWC server alone, fed by one process, same XML.
        results["raw"] = post_raw(running.cwc_url, raw_documents(ids[: args.raw]))
        results["raw"]["seconds_for_all"] = len(ids) / results["raw"]["rate"]
        results["ratio"] = results["drain"]["rate"] / results["raw"]["rate"]
        stack.save(args.label, results)
        print(f"drained: {results['drain']}")
        print(f"server: {results['server']}")
        print(f"raw: {results['raw']}; drain rate / raw rate = {results['ratio']:.2f}")


def all_sent(submissions, expected):
    """True once every supporter has sent, or nothing new arrived for 10 s."""
    seen = {"count": -1, "since": time.monotonic()}

    def check():
        count = submissions.count()
        if count != seen["count"]:
            seen.update(count=count, since=time.monotonic())
        return count >= expected or (count and time.monotonic() - seen["since"] > 10)

    return check


def stack_count():
    from django.db.models import Count

    return Count("id")


if __name__ == "__main__":
    main()
