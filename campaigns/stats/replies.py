"""What supporters said when asked whether the office replied
(campaigns/followups.py): per campaign and per office."""

from django.db.models import Count, F

from campaigns.models import CustomTarget, FollowUp
from legislators.models import Legislator

Answer = FollowUp.Answer
ANSWERS = ("asked", *Answer.values)


def replies(follow_ups):
    """{"asked", "replied", "no_reply", "by_office": [...]} over some
    FollowUps; each office row has its name, seat and the same counts, the
    most replies first. Grouped in the database: a few rows per office."""
    grouped = follow_ups.values(
        "answer", legislator_pk=F("letter__legislator"), target_pk=F("letter__custom_target")
    ).annotate(questions=Count("*"))
    groups = list(grouped.order_by())
    members = Legislator.objects.in_bulk({row["legislator_pk"] for row in groups} - {None})
    targets = CustomTarget.objects.in_bulk({row["target_pk"] for row in groups} - {None})
    offices = {}
    for row in groups:
        if row["legislator_pk"]:
            office = members[row["legislator_pk"]]
            name, seat = office.display_name, office.seat_label
        else:
            name, seat = targets[row["target_pk"]].name, ""
        counts = offices.setdefault(
            (row["legislator_pk"], row["target_pk"]),
            {"name": name, "seat": seat, **dict.fromkeys(ANSWERS, 0)},
        )
        _add(counts, row)
    total = dict.fromkeys(ANSWERS, 0)
    for row in groups:
        _add(total, row)
    by_office = sorted(
        offices.values(), key=lambda row: (-row[Answer.REPLIED], -row["asked"], row["name"])
    )
    return {**total, "by_office": by_office}


def _add(counts, row):
    counts["asked"] += row["questions"]
    if row["answer"]:
        counts[row["answer"]] += row["questions"]
