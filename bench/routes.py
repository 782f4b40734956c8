"""By hand, not a test: 3,000 letters across both chambers, with 40 % of the
Senate's offices off CWC (half of those with an email address from staff,
half with none), drained by real Celery workers into the local CWC server and
a local SMTP server.

    .venv/bin/python bench/routes.py [--letters 3000] [--off-cwc 0.4] [--concurrency 2]

The office lists are written for the run from the roster (every House seat;
the Senate's seats less the share left off), served by a CWC server that
knows them (it answers 400 to an office not on them), and read back over
HTTP by `import_offices`, as beat would. Letters are made by
campaigns.supporters.submit.submit, the view's own function (three per
supporter), so the offices no channel reaches end NO_ROUTE right there and
are never queued. Then workers drain the rest. Printed: letters by CWC, by
email and NO_ROUTE, and what each receiver counted: every letter it should
have, once, and none it should not.
"""

import argparse
import json
import os
import random
import secrets
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from bench import stack
from tests.support.smtp import Mailbox

WAITING = ("queued", "sending", "retrying")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--letters", type=int, default=3000)
    parser.add_argument("--off-cwc", type=float, default=0.4, help="share of Senate offices")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()

    with stack.Stack() as running, Mailbox() as mailbox:
        from django.conf import settings

        # The bench process submits, so it routes as the workers will.
        settings.DELIVERY_CHANNELS = ["cwc", "email"]
        senate_off, with_email = directory_plan(args.off_cwc, random.Random(args.seed))
        cwc_url = start_cwc(running, enrolled_codes(senate_off))
        reports = import_lists(cwc_url)
        set_overrides(senate_off, with_email)
        running.env |= {
            "DELIVERY_CHANNELS": "cwc,email",
            "CWC_HOUSE_URL": cwc_url,
            "CWC_SENATE_URL": cwc_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{mailbox.port}",
            # Stack.worker waits for Celery's "ready." line, logged at INFO.
            "LOG_LEVEL": "INFO",
        }

        campaign = stack.bench_campaign()
        templates = stack.lookup_states()
        started = time.perf_counter()
        letter_ids = submit_letters(campaign, args.letters // 3, templates)
        submitted = time.perf_counter() - started
        worker = running.worker(concurrency=args.concurrency, name="worker-routes")
        drained = wait_drained(letter_ids, timeout=300 + len(letter_ids))
        # The confirmation emails may still be on their way; the letters are done.
        running.stop(worker)
        received = requests.get(f"{cwc_url}/received", timeout=30).json()
        result = {
            "machine": machine(),
            "args": vars(args),
            "directory": reports,
            "senate_off_cwc": len(senate_off),
            "senate_off_with_email": len(with_email),
            "submit_seconds": submitted,
            "drain": drained,
            "check": check(letter_ids, received, mailbox),
        }
        print_summary(result)
        stack.save("routes", result)


def machine():
    """What the figures ran on (stack.machine also wants wrk, which this does not use)."""
    import platform

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "loadavg_at_end": os.getloadavg(),
    }


def directory_plan(share, rng):
    """The senators whose offices are off CWC, and those of them with an address."""
    from legislators.models import Legislator

    senators = list(
        Legislator.objects.filter(chamber="senate", in_office=True).order_by("bioguide_id")
    )
    off = rng.sample(senators, round(share * len(senators)))
    return off, off[: len(off) // 2]


def code(member):
    # The bench writes the lists itself, from the roster; the app reads them.
    if member.chamber == "senate":
        return f"S{member.state}{member.senate_class:02d}"
    return f"H{member.state}{member.district or 0:02d}"


def enrolled_codes(senate_off):
    from legislators.models import Legislator

    off = {member.pk for member in senate_off}
    return sorted(
        code(member) for member in Legislator.objects.filter(in_office=True) if member.pk not in off
    )


def start_cwc(running, codes):
    listing = stack.WORK / "enrolled-offices.txt"
    listing.write_text("\n".join(codes) + "\n")
    process = subprocess.Popen(
        [stack.PYTHON, "-m", "tests.support.cwc_server", "--offices", str(listing)],
        cwd=running.root,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        stdout=subprocess.PIPE,
        stderr=open(stack.WORK / "logs" / "cwc-routes.log", "w"),  # noqa: SIM115
        text=True,
        start_new_session=True,
    )
    running.processes.append(("cwc-routes", process))
    url = process.stdout.readline().strip()
    assert url.startswith("http://"), "the CWC server did not start"
    return url


def import_lists(cwc_url):
    from io import StringIO

    from django.core.management import call_command

    from offices.models import Office

    Office.objects.all().delete()  # a run starts from the lists alone
    out = StringIO()
    call_command(
        "import_offices",
        "--house",
        f"{cwc_url}/offices?apikey={stack.CWC_KEY}",
        "--senate",
        f"{cwc_url}/active_offices?apikey={stack.CWC_KEY}",
        stdout=out,
    )
    return out.getvalue().splitlines()


def set_overrides(senate_off, with_email):
    from offices.models import Office

    for member in with_email:
        Office.objects.filter(legislator=member).update(
            email=f"office-{member.bioguide_id.lower()}@bench.example.gov"
        )


def submit_letters(campaign, supporters, templates):
    from campaigns import letters
    from campaigns.supporters import progress, submit

    tag = secrets.token_hex(4)
    ids = []
    for i in range(supporters):
        state = json.loads(json.dumps(templates[i % len(templates)]))
        state["supporter"]["email"] = f"bench-{tag}-{i}@example.com"
        step = stack.letter_step(campaign, state)
        outcome = submit.submit(
            campaign,
            key=stack.new_key(),
            supporter=progress.supporter_fields(state),
            recipients=step.recipients,
            letter=letters.LetterTemplate(
                step.initial["subject"], letters.join_greeting(step.greeting, step.initial["body"])
            ),
            edited=False,
            context=progress.submission_context(state),
        )
        ids.extend(letter.id for letter in outcome.sent)
    return ids


def wait_drained(letter_ids, *, timeout):
    from django.db.models import Count, Max, Min

    from campaigns.models import Letter

    letters = Letter.objects.filter(id__in=letter_ids)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and letters.filter(status__in=WAITING).exists():
        time.sleep(0.5)
    span = letters.aggregate(first=Min("claimed_at"), last=Max("delivered_at"))
    delivered = letters.filter(status="delivered").count()
    seconds = (span["last"] - span["first"]).total_seconds() if delivered else float("nan")
    return {
        "statuses": dict(letters.values_list("status").annotate(n=Count("id"))),
        "channels": dict(
            letters.filter(status="delivered").values_list("channel").annotate(n=Count("id"))
        ),
        "seconds": seconds,
        "rate": delivered / seconds if delivered else 0.0,
        "attempts_max": max(letters.values_list("attempts", flat=True)),
    }


def check(letter_ids, received, mailbox):
    """Each receiver against the letters: lost (expected, not there) and
    doubled (there more than once, or there though not expected)."""
    from campaigns.models import Letter

    letters = Letter.objects.filter(id__in=letter_ids)
    by_cwc = {u.hex for u in letters.filter(channel="cwc").values_list("uuid", flat=True)}
    by_email = {u.hex for u in letters.filter(channel="email").values_list("uuid", flat=True)}
    no_route = {u.hex for u in letters.filter(status="no_route").values_list("uuid", flat=True)}
    at_cwc = received["received"]
    office_mail = [
        message["Message-ID"].strip("<>").split("@")[0]
        for recipients, message in mailbox.messages
        if any(address.endswith("@bench.example.gov") for address in recipients)
    ]
    return {
        "cwc": _compare(by_cwc, at_cwc, received["repeats"]),
        "email": _compare(by_email, office_mail, []),
        "no_route_at_a_receiver": len(no_route & (set(at_cwc) | set(office_mail))),
        "refused_by_cwc": len(received["refused"]),
    }


def _compare(expected, arrived, repeats):
    return {
        "expected": len(expected),
        "arrived": len(arrived),
        "lost": len(expected - set(arrived)),
        "doubled": len(arrived) - len(set(arrived)) + len(set(arrived) - expected),
        "repeat_attempts": len(repeats),
    }


def print_summary(result):
    drain, checked = result["drain"], result["check"]
    for line in result["directory"]:
        print(line)
    print(
        f"Senate offices off CWC: {result['senate_off_cwc']} "
        f"({result['senate_off_with_email']} with an email address)"
    )
    print(f"letters by status: {drain['statuses']}; delivered by channel: {drain['channels']}")
    print(f"drained in {drain['seconds']:.1f} s ({drain['rate']:.1f}/s), "
          f"most attempts on one letter {drain['attempts_max']}")  # fmt: skip
    print(f"CWC server: {checked['cwc']}; refused {checked['refused_by_cwc']}")
    print(f"SMTP server (office mail): {checked['email']}")
    print(f"NO_ROUTE letters found at a receiver: {checked['no_route_at_a_receiver']}")


if __name__ == "__main__":
    main()
