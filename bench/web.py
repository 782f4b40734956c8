"""By hand, not a test: letter submissions and campaign page views per second
through gunicorn, each against its floor served by the same processes.

    .venv/bin/python bench/web.py [--rounds 5] [--seconds 10] [--connections 16]
                                  [--gunicorn-workers 4] [--gunicorn-args "..."]

1. Submissions: POST /c/<slug>/send/ (three letters each), every request with
   its own session that has just completed the lookup (crafted with the
   view's own supporting.remember, written to the session table), its own
   idempotency key and its own email. Baseline: POST /bench/insert/, a bare
   view inserting one row.
2. Page views: GET /c/<slug>/ as a new visitor with a browser's User-Agent
   (so it records a visit and starts a session, as a real one does).
   Baseline: GET /bench/static/, the same page's HTML as a static template.

Each round runs the baseline and the real view back to back (order
alternating), so each ratio compares two measurements taken seconds apart on
this noisy machine. Celery workers are not running: the web is measured
alone (the queue fills; bench/spike.py measures everything together). A
send's request writes one Posting and publishes its task; the worker that
would write the supporter and the letters does not run, so the postings,
each for three letters, are what is counted.
wrk is the load generator (apt-get install -y wrk).
"""

import argparse
import secrets
import shlex
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--gunicorn-args", default="", help="extra gunicorn arguments")
    parser.add_argument("--only", choices=["send", "page"], help="one figure only")
    parser.add_argument(
        "--compare",
        metavar="CHECKOUT",
        help="also serve this checkout (a patched copy) from its own gunicorn, same settings "
        "and database, and measure it in every round beside the unpatched one",
    )
    parser.add_argument(
        "--letters",
        type=int,
        default=0,
        help="first fill the campaign with this many letters, as a month leaves them",
    )
    parser.add_argument("--label", default="web")
    args = parser.parse_args()
    stack.which("wrk")

    with stack.Stack() as running:
        from campaigns import letters

        campaign = stack.bench_campaign()
        if args.letters:
            fill_campaign(campaign, args.letters)
        templates = stack.lookup_states()
        url, _ = running.gunicorn(
            workers=args.gunicorn_workers, extra=shlex.split(args.gunicorn_args)
        )
        page = f"{url}{campaign.get_absolute_url()}"
        snapshot_page(page)
        servers = {"": (url, None)}
        if args.compare:
            other, _ = running.gunicorn(
                workers=args.gunicorn_workers,
                extra=shlex.split(args.gunicorn_args),
                name="gunicorn-compare",
                root=args.compare,
            )
            servers["_patched"] = (other, running.session_engine(args.compare))
        initial = stack.letter_step(campaign, templates[0]).initial
        # The supporter's own sentence where the letter asks for one (the
        # form refuses the placeholder).
        body = initial["body"].replace(
            letters.PERSONAL_PLACEHOLDER, "My family lives here and this matters to us."
        )
        form = stack.write_lines(
            "form.txt", [urlencode({"subject": initial["subject"], "body": body})]
        )
        insert_form = stack.write_lines(
            "insert-form.txt",
            [urlencode({"campaign": campaign.pk, "subject": initial["subject"], "body": body})],
        )  # fmt: skip
        common = {"BENCH_UA": stack.USER_AGENT, "BENCH_THREADS": "2"}
        results = {"machine": stack.machine(), "args": vars(args), "rounds": []}

        def load(kind, seconds):
            kind, suffix = kind.split("_")[0], kind[len(kind.split("_")[0]) :]
            url, engine = servers[suffix]
            page = f"{url}{campaign.get_absolute_url()}"
            if kind == "insert":
                env = common | {"BENCH_MODE": "insert", "BENCH_FORM": str(insert_form)}
                return stack.wrk(f"{url}/bench/insert/", script="flow.lua", seconds=seconds,
                                 connections=args.connections, env=env)  # fmt: skip
            if kind == "send":
                # Enough supporters for twice the best rate seen so far.
                sessions = stack.craft_sessions(
                    campaign, 800 * seconds, secrets.token_hex(4), templates, engine
                )
                lines = stack.write_lines("sessions.txt", sessions)
                env = common | {
                    "BENCH_MODE": "send", "BENCH_FORM": str(form), "BENCH_LINES": str(lines),
                    "BENCH_NONCE": secrets.token_hex(4),
                }  # fmt: skip
                before = counts(campaign)
                result = stack.wrk(f"{page}send/", script="flow.lua", seconds=seconds,
                                   connections=args.connections, env=env)  # fmt: skip
                after = counts(campaign)
                result["submissions"] = after[0] - before[0]
                result["letters"] = after[1] - before[1]
                return result
            path = "/bench/static/" if kind == "static" else campaign.get_absolute_url()
            env = common | {"BENCH_MODE": "get"}
            return stack.wrk(f"{url}{path}", script="flow.lua", seconds=seconds,
                             connections=args.connections, env=env)  # fmt: skip

        pairs = {"send": ("insert", "send"), "page": ("static", "page")}
        if args.compare:
            pairs = {figure: (*kinds, f"{kinds[1]}_patched") for figure, kinds in pairs.items()}
        figures = [args.only] if args.only else ["send", "page"]
        for figure in figures:
            for kind in pairs[figure]:
                load(kind, 3)  # warm up: imports, templates, connections
        for number in range(args.rounds):
            row = {}
            for figure in figures:
                baseline, *reals = pairs[figure]
                kinds = [baseline, *reals]
                # Rotate the order, so no kind always runs first or last.
                order = kinds[number % len(kinds) :] + kinds[: number % len(kinds)]
                for kind in order:
                    row[kind] = load(kind, args.seconds)
                    ok = ok_responses(kind, row[kind])
                    row[kind]["rate"] = ok / row[kind]["seconds"]
                for real in reals:
                    suffix = real[len(figure) :]
                    row[f"{figure}{suffix}_ratio"] = row[real]["rate"] / row[baseline]["rate"]
            results["rounds"].append(row)
            print(f"round {number + 1}: " + summary_line(row), flush=True)

        results["summary"] = summarize(results["rounds"])
        results["final_counts"] = counts(campaign)
        results["campaign_letters"] = campaign.letters.count()
        stack.save(args.label, results)
        for name, value in results["summary"].items():
            print(f"{name:<22} median {value['median']:10.3f}   "
                  f"min {value['min']:10.3f}   max {value['max']:10.3f}")  # fmt: skip


def fill_campaign(campaign, letters):
    """`letters` letters in the campaign, from a third as many supporters
    across the real seats, over its last 29 days (bench/fill.py)."""
    from datetime import timedelta

    from django.db import connection, transaction

    from bench import fill

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        params = {
            "campaign": campaign.pk,
            "body": campaign.letter_body,
            "supporters": -(-letters // 3),
            "by_triggers": 0,
            "life": timedelta(days=29),
            "seats": fill.real_seats(cursor),
        }
        with fill.bulk_load(cursor):
            fill.fill_rows(cursor, params, started)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    print(f"Filled {campaign.letters.count():,} letters in {seconds:.0f} s", flush=True)


def snapshot_page(page):
    """The campaign page as a new visitor gets it, saved as the static
    template: the baseline answers with the same bytes and does nothing else."""
    import requests

    html = requests.get(page, headers={"User-Agent": stack.USER_AGENT}, timeout=30).text
    path = stack.WORK / "templates" / "bench_static.html"
    path.write_text("{% verbatim %}" + html + "{% endverbatim %}")


def counts(campaign):
    """(sends accepted, letters they made or will make): the postings no
    worker has accepted, and the submissions (those of an older checkout
    served by --compare, which wrote them in the request)."""
    from django.db.models import Sum

    from campaigns.models import Letter, Posting, Submission

    pending = Posting.objects.filter(campaign=campaign, accepted_at__isnull=True)
    return (
        pending.count() + Submission.objects.filter(campaign=campaign).count(),
        (pending.aggregate(letters=Sum("letters"))["letters"] or 0)
        + Letter.objects.filter(campaign=campaign).count(),
    )


def ok_responses(kind, result):
    """Requests answered as intended: a redirect to the thanks page for a
    send, checked against the postings written; 200 for the others."""
    statuses = result["statuses"]
    if kind.startswith("send"):
        redirected = statuses.get("302", 0)
        # wrk stops with requests in flight: the server may finish a few more.
        in_flight = result["submissions"] - redirected
        if not 0 <= in_flight <= 64 or result["letters"] != 3 * result["submissions"]:
            print(f"  send: {redirected} redirects but {result['submissions']} postings "
                  f"for {result['letters']} letters", flush=True)  # fmt: skip
        if result["exhausted"]:
            print("  send: ran out of prepared supporters; raise the count", flush=True)
        return result["submissions"]
    return statuses.get("200", 0)


KINDS = ("insert", "send", "send_patched", "static", "page", "page_patched")


def summary_line(row):
    parts = []
    for kind in KINDS:
        if kind in row:
            result = row[kind]
            bad = {k: v for k, v in result["statuses"].items() if k not in ("200", "302")}
            extra = f" {bad}" if bad or result["socket_errors"] else ""
            parts.append(f"{kind} {result['rate']:.0f}/s p50 {result['latency_ms']['p50']:.0f} ms"
                         f"{extra}")  # fmt: skip
    for name, value in row.items():
        if name.endswith("_ratio"):
            parts.append(f"{name} {value:.3f}")
    return ", ".join(parts)


def summarize(rounds):
    out = {}
    for kind in KINDS:
        if kind in rounds[0]:
            out[f"{kind}_per_s"] = stack.spread(row[kind]["rate"] for row in rounds)
            out[f"{kind}_p50_ms"] = stack.spread(row[kind]["latency_ms"]["p50"] for row in rounds)
            out[f"{kind}_p99_ms"] = stack.spread(row[kind]["latency_ms"]["p99"] for row in rounds)
    for name in rounds[0]:
        if name.endswith("_ratio"):
            out[name] = stack.spread(row[name] for row in rounds)
    return out


if __name__ == "__main__":
    main()
