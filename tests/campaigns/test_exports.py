import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.http import StreamingHttpResponse
from django.utils import timezone

from campaigns.models import DeliveryAttempt, Letter
from campaigns.stats import Filters, exports
from tests import factories

pytestmark = pytest.mark.django_db

JUNE = Filters(date(2026, 6, 1), date(2026, 6, 30))
CREATED = timezone.make_aware(datetime(2026, 6, 2, 12))


def read(response):
    assert isinstance(response, StreamingHttpResponse)
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def campaign():
    return factories.campaign(slug="clean-water")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Plain text", "Plain text"),
        (7, 7),
        (None, None),
    ],
)
def test_cells_a_spreadsheet_would_run_become_text(value, written):
    assert exports.safe_cell(value) == written


def test_letters_export_has_the_delivery_and_no_personal_data(campaign):
    senator = factories.legislator("TX", last_name="Cornyn")
    representative = factories.legislator("TX", 7, last_name="Fletcher")
    supporter = factories.supporter(campaign, email="ada@example.org", first_name="Ada")
    post = factories.submission(campaign, supporter=supporter, created_at=CREATED)
    delivered = factories.letter(
        campaign,
        senator,
        submission=post,
        status=Letter.Status.DELIVERED,
        attempts=1,
        created_at=CREATED,
        delivered_at=datetime(2026, 6, 2, 16, 5, tzinfo=UTC),
    )
    failed = factories.letter(
        campaign,
        representative,
        submission=post,
        status=Letter.Status.FAILED,
        attempts=5,
        created_at=CREATED,
        failure_reason="=cmd|' /C calc'!A0",
    )

    rows = read(exports.letters_csv(campaign, JUNE))

    assert rows[0] == list(exports.LETTER_COLUMNS)
    column = {name: index for index, name in enumerate(rows[0])}
    assert rows[1][:8] == [
        "clean-water",
        str(delivered.uuid),
        "Senator Cornyn",
        senator.bioguide_id,
        "TX",
        "",
        "delivered",
        "1",
    ]
    assert rows[2][:8] == [
        "clean-water",
        str(failed.uuid),
        "Representative Fletcher",
        representative.bioguide_id,
        "TX",
        "7",
        "failed",
        "5",
    ]
    created, sent = column["created_at"], column["delivered_at"]
    assert rows[1][created] == rows[2][created] == "2026-06-02 16:00:00+00:00"  # noon in NY
    assert (rows[1][sent], rows[2][sent]) == ("2026-06-02 16:05:00+00:00", "")
    assert rows[2][column["failure_reason"]] == "'=cmd|' /C calc'!A0"
    assert len(rows) == 3
    text = str(rows)
    assert "ada@example.org" not in text and "Ada" not in text


def test_letters_export_takes_the_filters(campaign):
    factories.letter(campaign, factories.legislator("TX"), created_at=CREATED)
    factories.letter(campaign, factories.legislator("CA"), created_at=CREATED)
    factories.letter(
        campaign,
        factories.legislator("TX"),
        created_at=timezone.make_aware(datetime(2026, 7, 1, 12)),
    )
    rows = read(exports.letters_csv(campaign, Filters(JUNE.first_day, JUNE.last_day, "TX")))
    assert [row[4] for row in rows[1:]] == ["TX"]


def test_supporters_export_has_their_addresses(campaign):
    factories.supporter(
        campaign,
        email="ada@example.org",
        first_name="@Ada",
        last_name="Lovelace",
        street="1 Main St",
        created_at=CREATED,
    )
    rows = read(exports.supporters_csv(campaign, JUNE))
    assert rows[0] == list(exports.SUPPORTER_COLUMNS)
    assert rows[1][1:9] == [
        "ada@example.org",
        "Ms.",
        "'@Ada",
        "Lovelace",
        "1 Main St",
        "Austin",
        "TX",
        "78701",
    ]


def test_nothing_is_read_until_the_response_streams(campaign, django_assert_num_queries):
    for _ in range(3):
        factories.letter(campaign, created_at=CREATED)
    with django_assert_num_queries(0):
        response = exports.letters_csv(campaign, JUNE)
    lines = iter(response.streaming_content)
    assert next(lines).startswith(b"campaign,letter,office")
    assert len(list(lines)) == 3


def test_the_download_is_an_attachment(client, campaign):
    client.force_login(User.objects.create_user("staff", is_staff=True))
    response = client.get("/staff/clean-water/letters.csv?from=2026-06-01&to=2026-06-30")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="clean-water-letters.csv"'
    assert client.get("/staff/clean-water/letters.csv?from=June").status_code == 400


def test_letters_export_has_each_letters_last_attempt_and_the_attempts_export_all(campaign):
    letter = factories.letter(
        campaign, status=Letter.Status.REJECTED, attempts=2, created_at=CREATED,
        gateway_answer="HTTP 400: <Errors><Error>Bad address</Error></Errors>",
    )  # fmt: skip
    quiet = factories.letter(campaign, created_at=CREATED)
    for number, outcome, answer in [
        (1, DeliveryAttempt.Outcome.WORKER_LOST, "The worker stopped"),
        (2, DeliveryAttempt.Outcome.REJECTED, "HTTP 400: Bad address"),
    ]:
        DeliveryAttempt.objects.create(
            letter=letter, number=number, started_at=CREATED + timedelta(minutes=number),
            duration=timedelta(seconds=1.5) if number == 2 else None, channel="cwc",
            outcome=outcome, answer=answer,
        )  # fmt: skip

    rows = read(exports.letters_csv(campaign, JUNE))
    by_letter = {row[1]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    mine = by_letter[str(letter.uuid)]
    assert (mine["status"], mine["attempts"]) == ("rejected", "2")
    assert mine["gateway_answer"].startswith("HTTP 400")
    assert mine["last_attempt_at"] == "2026-06-02 16:02:00+00:00"
    assert (mine["last_attempt_outcome"], mine["last_attempt_answer"]) == (
        "rejected", "HTTP 400: Bad address",
    )  # fmt: skip
    assert by_letter[str(quiet.uuid)]["last_attempt_outcome"] == ""

    attempts = read(exports.attempts_csv(campaign, JUNE))
    assert attempts[0] == list(exports.ATTEMPT_COLUMNS)
    assert [row[2:] for row in attempts[1:]] == [
        ["1", "2026-06-02 16:01:00+00:00", "", "cwc", "worker_lost", "The worker stopped"],
        ["2", "2026-06-02 16:02:00+00:00", "1.5", "cwc", "rejected", "HTTP 400: Bad address"],
    ]
