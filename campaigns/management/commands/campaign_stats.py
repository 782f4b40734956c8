"""The staff dashboard's numbers on the command line."""

import json
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from campaigns import stats
from campaigns.models import Campaign
from campaigns.stats import backlog
from campaigns.stats.charts import duration_label


class Command(BaseCommand):
    help = "Print a campaign's participation numbers, as on its staff dashboard."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--json", action="store_true", help="Print JSON instead of tables.")
        parser.add_argument("--from", dest="from", metavar="DATE", help="First day, 2026-06-01.")
        parser.add_argument("--to", metavar="DATE", help="Last day (included).")
        parser.add_argument("--state", metavar="XX", help="Only letters to this state's offices.")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(slug=options["slug"]).first()
        if campaign is None:
            raise CommandError(f"No campaign {options['slug']!r}.")
        try:
            filters = stats.parse_filters(campaign, options)
        except ValueError as error:
            raise CommandError(str(error)) from None
        numbers = stats.as_json(stats.campaign_stats(campaign, filters))
        # Every campaign's letters wait in the same queues, so the backlog is
        # everyone's: how long this campaign's waiting letters may take.
        numbers["backlog"] = backlog.as_json(stats.delivery_backlog())
        if options["json"]:
            self.stdout.write(json.dumps(numbers, indent=2))
        else:
            self.stdout.write(report(numbers))


def report(numbers):
    state = f", offices in {numbers['state']}" if numbers["state"] else ""
    lines = [f"{numbers['campaign']}: {numbers['from']} to {numbers['to']}{state}", ""]
    for label, key in FIGURES:
        value = numbers[key]
        lines.append(f"{label:<28}{'-' if value is None else f'{value:,}':>12}")
    seconds = numbers["median_delivery_seconds"]
    median = duration_label(None if seconds is None else timedelta(seconds=seconds))
    lines.append(f"{'Median time to delivery':<28}{median:>12}")
    lines += ["", *table("State", numbers["by_state"], "state")]
    lines += ["", *table("Office", numbers["by_legislator"], "name")]
    if numbers["by_custom_target"]:
        lines += ["", *table("Custom target", numbers["by_custom_target"], "name")]
    lines += ["", *backlog_table(numbers["backlog"])]
    return "\n".join(lines)


def backlog_table(backlog):
    minutes = backlog["rate_window_seconds"] // 60
    lines = [
        f"Backlog (all campaigns; rate over the last {minutes} minutes)",
        f"{'Chamber':<10}{'waiting':>10}{'per minute':>12}{'to drain':>12}  oldest waiting"
        "  (waiting per channel)",
    ]
    for lane in backlog["lanes"]:
        seconds = lane["drain_seconds"]
        drain = duration_label(None if seconds is None else timedelta(seconds=seconds))
        lines.append(
            f"{lane['chamber']:<10}{lane['waiting']:>10,}{lane['delivered_per_minute']:>12,}"
            f"{drain:>12}  {lane['oldest_waiting_at'] or '-'}"
            f"  ({_per_channel(lane['waiting_per_channel'])})"
        )
    return lines


def _per_channel(waiting):
    return ", ".join(f"{channel} {count:,}" for channel, count in waiting.items()) or "-"


FIGURES = [
    ("Page visits", "visits"),
    ("Address lookups", "lookups"),
    ("  found no one", "lookups_failed"),
    ("Submissions", "submissions"),
    ("  with an edited letter", "edited"),
    ("Letters", "letters"),
    ("  sent (accepted)", "delivered"),
    ("  queued or sending", "pending"),
    ("  retrying", "retrying"),
    ("  rejected", "rejected"),
    ("  failed", "failed"),
    ("  no route", "no_route"),
    ("  cancelled", "cancelled"),
]
COLUMNS = ["total", "delivered", "pending", "retrying", "failed", "cancelled"]


def table(title, rows, label):
    width = max([len(title), *(len(row[label]) for row in rows)])
    header = f"{title:<{width}}" + "".join(f"{column:>11}" for column in COLUMNS)
    body = [
        f"{row[label]:<{width}}" + "".join(f"{row[column]:>11,}" for column in COLUMNS)
        for row in rows
    ]
    return [header, *(body or ["(none)"])]
