import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import User
from django.http import StreamingHttpResponse
from django.utils import timezone

from campaigns.models import Letter
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
    assert rows[1][8] == rows[2][8] == "2026-06-02 16:00:00+00:00"  # noon in New York
    assert (rows[1][9], rows[2][9]) == ("2026-06-02 16:05:00+00:00", "")
    assert rows[2][10] == "'=cmd|' /C calc'!A0"
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
