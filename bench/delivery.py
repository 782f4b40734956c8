"""By hand, not a test: letters per second that Celery workers drain into the
local CWC server (rate limit off), against raw HTTP posts of the same XML from
one process, in the same run.

    .venv/bin/python bench/delivery.py [--rounds 3] [--letters 3000] [--raw 1000]
                                       [--concurrency 2] [--worker-args "..."]

Each round: with no worker running, submit --letters letters (three per
supporter) through campaigns.supporters.submit.submit, the view's own function,
so the queue holds exactly what the site would have put there (a
deliver_batch task per submission and a confirmation email per supporter). Then the
baseline: one process POSTs --raw of those letters' XML (built and checked
beforehand, each with a fresh DeliveryId) to the same CWC server, one after
another, the way a worker does. Then start `celery -A config worker` and
wait until every letter is delivered. The drain rate runs from the first
claim to the last delivery (the letters' own timestamps), so worker start-up
is not counted. The CWC server counts what it received: every letter once.
The workers write the confirmation emails too; since a batch takes letters
ahead of their own messages, some emails may go out after the last letter:
"all work" runs from the first claim to the last email written.
"""

import argparse
import secrets
import shlex
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import stack


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--letters", type=int, default=3000)
    parser.add_argument("--raw", type=int, default=1000, help="raw posts in the baseline")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--worker-args", default="", help="extra `celery worker` arguments")
    parser.add_argument("--label", default="delivery")
    args = parser.parse_args()

    with stack.Stack() as running:
        campaign = stack.bench_campaign()
        templates = stack.lookup_states()
        results = {"machine": stack.machine(), "args": vars(args), "rounds": []}
        for number in range(args.rounds):
            letter_ids = submit_letters(campaign, args.letters // 3, templates)
            documents = raw_documents(letter_ids[: args.raw])
            raw = post_raw(running.cwc_url, documents)
            before = running.cwc_received()
            mailed_before = mail_count()
            worker = running.worker(
                concurrency=args.concurrency,
                extra=shlex.split(args.worker_args),
                name=f"worker-{args.label}-{number}",
            )
            drained = wait_delivered(letter_ids, timeout=120 + len(letter_ids) / 2)
            drained["all_work"] = wait_mailed(
                mailed_before + len(letter_ids) // 3, drained, timeout=120
            )
            running.stop(worker)
            after = running.cwc_received()
            row = {
                "raw": raw,
                "drain": drained,
                "ratio": drained["rate"] / raw["rate"],
                "server": check_server(letter_ids, before, after),
            }
            results["rounds"].append(row)
            print(
                f"round {number + 1}: raw {raw['rate']:.1f}/s, workers {drained['rate']:.1f}/s"
                f" (ratio {row['ratio']:.2f}; with the emails"
                f" {drained['all_work']['rate']:.1f}/s), {row['server']}",
                flush=True,
            )
        rounds = results["rounds"]
        results["summary"] = {
            "raw_per_s": stack.spread(r["raw"]["rate"] for r in rounds),
            "drain_per_s": stack.spread(r["drain"]["rate"] for r in rounds),
            "ratio": stack.spread(r["ratio"] for r in rounds),
            "all_work_ratio": stack.spread(
                r["drain"]["all_work"]["rate"] / r["raw"]["rate"] for r in rounds
            ),
        }
        stack.save(args.label, results)
        for name, value in results["summary"].items():
            print(f"{name:<12} median {value['median']:8.3f}  "
                  f"min {value['min']:8.3f}  max {value['max']:8.3f}")  # fmt: skip


def submit_letters(campaign, supporters, templates):
    """Letters as the send view makes them, queued on commit. Returns their ids."""
    from campaigns import letters
    from campaigns.models import Letter
    from campaigns.supporters import progress, submit

    tag = secrets.token_hex(4)
    ids = []
    for i in range(supporters):
        state = stack.json.loads(stack.json.dumps(templates[i % len(templates)]))
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
    assert Letter.objects.filter(id__in=ids, status=Letter.Status.QUEUED).count() == len(ids)
    return ids


def raw_documents(letter_ids):
    """(URL path, XML) for these letters, as the worker would send them, each
    with a DeliveryId of its own so the server takes it as new."""
    from lxml import etree

    from campaigns.delivery.channels import cwc
    from campaigns.models import Letter

    documents = []
    for letter in Letter.objects.filter(id__in=letter_ids).select_related(
        "campaign", "supporter", "legislator"
    ):
        root = etree.fromstring(cwc.document(letter))
        root.find("Delivery/DeliveryId").text = stack.new_key()
        documents.append(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return documents


def post_raw(url, documents):
    """The floor: POST each document in turn, as requests does in the worker."""
    import requests

    started = time.perf_counter()
    statuses = {}
    for xml in documents:
        response = requests.post(
            f"{url}/v2/message",
            params={"apikey": stack.CWC_KEY},
            data=xml,
            headers={"Content-Type": "application/xml"},
            timeout=30,
        )
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    seconds = time.perf_counter() - started
    assert statuses == {201: len(documents)}, statuses
    return {"posts": len(documents), "seconds": seconds, "rate": len(documents) / seconds}


def wait_delivered(letter_ids, *, timeout):
    from django.db.models import Count, Max, Min

    from campaigns.models import Letter

    letters = Letter.objects.filter(id__in=letter_ids)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = letters.exclude(status__in=[Letter.Status.DELIVERED, Letter.Status.FAILED])
        if not waiting.exists():
            break
        time.sleep(0.5)
    span = letters.aggregate(first=Min("claimed_at"), last=Max("delivered_at"))
    by_status = dict(letters.values_list("status").annotate(n=Count("id")))
    delivered = by_status.get(Letter.Status.DELIVERED, 0)
    seconds = (span["last"] - span["first"]).total_seconds() if delivered else float("nan")
    return {
        "letters": len(letter_ids),
        "first": span["first"],
        "statuses": by_status,
        "seconds": seconds,
        "rate": delivered / seconds if delivered else 0.0,
        "attempts_max": max(letters.values_list("attempts", flat=True)),
    }


def mail_count():
    return len(list((stack.WORK / "mail").glob("*")))


def wait_mailed(expected, drained, *, timeout):
    """Wait for the round's confirmation emails (expected files in all); the
    span from the first claim to the last one written, and letters/s over it."""
    mail = stack.WORK / "mail"
    deadline = time.monotonic() + timeout
    while mail_count() < expected and time.monotonic() < deadline:
        time.sleep(0.5)
    last = max(path.stat().st_mtime for path in mail.glob("*"))
    seconds = last - drained["first"].timestamp()
    return {"emails": mail_count(), "seconds": seconds, "rate": drained["letters"] / seconds}


def check_server(letter_ids, before, after):
    """What the CWC server received in this round: each letter exactly once?"""
    from campaigns.models import Letter

    uuids = Letter.objects.filter(id__in=letter_ids).values_list("uuid", flat=True)
    expected = {value.hex for value in uuids}
    new = after["received"][len(before["received"]) :]
    repeats = after["repeats"][len(before["repeats"]) :]
    return {
        "expected": len(expected),
        "received": len(new),
        "lost": len(expected - set(new)),
        "doubled": len(new) - len(set(new)) + len(set(repeats) & expected),
        "repeat_attempts": len(repeats),
    }


if __name__ == "__main__":
    main()
