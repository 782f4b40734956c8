"""Hand-delivery packets: the PDF (read back with pypdf), who may build and
download it, the worker task, and marking its letters delivered by hand."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from campaigns import packets, privacy, tasks
from campaigns.delivery import registry, sending
from campaigns.models import Letter, Packet, PacketLetter, Supporter
from campaigns.permissions import ORGANIZERS_GROUP
from tests import factories
from tests.campaigns.conftest import tasks_queued

pytestmark = pytest.mark.django_db

Status = Letter.Status


def organizer(username):
    user = User.objects.create_user(username)
    user.groups.add(Group.objects.get_or_create(name=ORGANIZERS_GROUP)[0])
    return user


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def owner():
    return organizer("owner")


@pytest.fixture
def campaign(owner):
    return factories.campaign(
        slug="clean-water", title="Clean water now", organization="River Friends", owner=owner
    )


@pytest.fixture
def senator():
    return factories.legislator("TX", official_full_name="John Cornyn", last_name="Cornyn")


def letter_from(campaign, office, first, last, status=Status.QUEUED, district="", **fields):
    supporter = factories.supporter(campaign, first_name=first, last_name=last)
    post = factories.submission(campaign, supporter=supporter, district_ocd_id=district)
    return factories.letter(
        campaign,
        office,
        submission=post,
        status=status,
        subject="Fund the river clean-up",
        body=f"Dear Senator Cornyn,\n\nThe river in my town needs you.\n\n{first} {last}",
        **fields,
    )


TX7 = "ocd-division/country:us/state:tx/cd:7"
TX2 = "ocd-division/country:us/state:tx/cd:2"


def built(campaign, office, user=None):
    packet = packets.request_packet(campaign, office, user)
    tasks.build_packet(packet.pk)
    packet.refresh_from_db()
    return packet


def pdf_pages(packet):
    with default_storage.open(packet.file.name) as pdf:
        return [page.extract_text() for page in PdfReader(BytesIO(pdf.read())).pages]


class TestThePdf:
    def test_a_cover_then_one_page_per_letter(self, campaign, senator):
        letter_from(campaign, senator, "Maya", "Ortiz", district=TX7)
        letter_from(campaign, senator, "Ben", "Adams", Status.DELIVERED, district=TX2)
        letter_from(campaign, senator, "Cara", "Lopez", Status.FAILED, district=TX7)
        letter_from(campaign, senator, "Never", "Confirmed", Status.UNCONFIRMED)
        letter_from(campaign, factories.legislator("TX", 7), "Other", "Office")

        packet = built(campaign, senator)

        assert packet.status == Packet.Status.READY
        pages = pdf_pages(packet)
        assert len(pages) == 1 + 3
        cover = " ".join(pages[0].split())
        assert "Senator John Cornyn" in cover
        assert "TX Senate" in cover
        assert "Campaign: Clean water now" in cover
        assert "3 constituents wrote to this office." in cover
        assert "TX-2, TX-7" in cover
        # One letter a page, by the supporter's last name.
        assert "Ben Adams" in pages[1] and "Cara Lopez" in pages[2] and "Maya Ortiz" in pages[3]
        assert all("Subject: Fund the river clean-up" in page for page in pages[1:])
        assert "The river in my town needs you." in pages[3]
        assert "Main St" in pages[3] and "Austin, TX 78701" in pages[3]
        assert "Never" not in " ".join(pages) and "Other Office" not in " ".join(pages)
        held = PacketLetter.objects.filter(packet=packet).order_by("page")
        assert [(entry.letter.supporter.last_name, entry.page) for entry in held] == [
            ("Adams", 2),
            ("Lopez", 3),
            ("Ortiz", 4),
        ]

    def test_a_letter_too_long_for_a_page_is_shrunk_onto_it(self, campaign, senator):
        long_body = "\n\n".join(["A sentence about the river, said again. " * 12] * 20)
        long = letter_from(campaign, senator, "Long", "Writer")
        Letter.objects.filter(pk=long.pk).update(body=long_body)
        letter_from(campaign, senator, "Short", "Writer")

        assert len(pdf_pages(built(campaign, senator))) == 3

    def test_text_beyond_the_fonts_and_markup_characters_do_not_break_it(self, campaign, senator):
        letter = letter_from(campaign, senator, "Zoë", "Nguyễn")
        Letter.objects.filter(pk=letter.pk).update(
            body="Dear Senator — <b>please</b> & thank you “now” 🌊 水", subject="R&D <now>"
        )

        pages = pdf_pages(built(campaign, senator))

        assert "Zoë" in pages[1]
        assert "<b>please</b> & thank you" in pages[1]
        assert "Subject: R&D <now>" in pages[1]

    def test_an_erased_street_leaves_the_town(self, campaign, senator):
        letter = letter_from(campaign, senator, "Maya", "Ortiz")
        Supporter.objects.filter(pk=letter.supporter_id).update(street="")

        page = pdf_pages(built(campaign, senator))[1]

        assert "Austin, TX 78701" in page and "Main St" not in page

    def test_a_custom_target_gets_its_packet_too(self, campaign):
        governor = factories.custom_target(campaign, name="Office of the Governor")
        letter_from(campaign, governor, "Maya", "Ortiz")

        pages = pdf_pages(built(campaign, governor))

        assert "Office of the Governor" in pages[0] and len(pages) == 2


class TestTheTask:
    def test_a_packet_built_twice_is_built_once(self, campaign, senator):
        letter_from(campaign, senator, "Maya", "Ortiz")
        packet = built(campaign, senator)
        name = packet.file.name

        tasks.build_packet(packet.pk)

        packet.refresh_from_db()
        assert packet.file.name == name and packet.entries.count() == 1

    def test_an_office_whose_letters_were_all_cancelled_since_fails_with_a_reason(
        self, campaign, senator
    ):
        letter = letter_from(campaign, senator, "Maya", "Ortiz")
        packet = packets.request_packet(campaign, senator, None)
        Letter.objects.filter(pk=letter.pk).update(status=Status.CANCELLED)

        tasks.build_packet(packet.pk)

        packet.refresh_from_db()
        assert packet.status == Packet.Status.FAILED
        assert packet.error == "No letters to this office."

    def test_a_storage_that_refuses_the_file_fails_the_packet_with_its_reason(
        self, campaign, senator, settings, tmp_path
    ):
        letter_from(campaign, senator, "Maya", "Ortiz")
        blocked = tmp_path / "not-a-folder"
        blocked.write_text("a file where the folder should be")
        settings.MEDIA_ROOT = blocked
        packet = packets.request_packet(campaign, senator, None)

        tasks.build_packet(packet.pk)

        packet.refresh_from_db()
        assert packet.status == Packet.Status.FAILED and packet.error


class TestPages:
    def test_the_organizer_lists_offices_and_builds_a_packet_in_a_worker(
        self, client, campaign, owner, senator, django_capture_on_commit_callbacks
    ):
        letter_from(campaign, senator, "Maya", "Ortiz")
        client.force_login(owner)

        page = client.get("/organize/clean-water/packets/").content.decode()
        assert "Senator John Cornyn" in page and "Print a packet" in page
        with django_capture_on_commit_callbacks() as callbacks:
            response = client.post(
                "/organize/clean-water/packets/build/", {"office": f"legislator:{senator.pk}"}
            )

        assert response.status_code == 302
        assert tasks_queued(callbacks) == ["campaigns.tasks.build_packet"]
        packet = Packet.objects.get()
        assert packet.status == Packet.Status.BUILDING and packet.requested_by == owner
        assert "Being printed" in client.get("/organize/clean-water/packets/").content.decode()

    @pytest.mark.parametrize("office", ["", "legislator:x", "senate:1", "legislator:999999"])
    def test_an_office_not_written_to_is_refused_with_a_message(
        self, client, campaign, owner, senator, office
    ):
        letter_from(campaign, senator, "Maya", "Ortiz")
        client.force_login(owner)

        response = client.post(
            "/organize/clean-water/packets/build/", {"office": office}, follow=True
        )

        assert response.status_code == 200
        assert not Packet.objects.exists()
        assert any(
            str(message)
            in ("Choose an office from the list.", "This campaign has no letters to that office.")
            for message in response.context["messages"]
        )

    def test_another_campaigns_target_is_not_an_office_here(self, client, campaign, owner):
        elsewhere = factories.custom_target(factories.campaign())
        letter_from(elsewhere.campaign, elsewhere, "Maya", "Ortiz")
        client.force_login(owner)

        client.post("/organize/clean-water/packets/build/", {"office": f"target:{elsewhere.pk}"})

        assert not Packet.objects.exists()

    def test_organizer_and_staff_download_the_pdf(self, client, campaign, owner, senator):
        letter_from(campaign, senator, "Maya", "Ortiz")
        packet = built(campaign, senator)
        url = f"/organize/clean-water/packets/{packet.uuid}/packet.pdf"

        for user in (owner, User.objects.create_user("staff", is_staff=True)):
            client.force_login(user)
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Type"] == "application/pdf"
            assert "attachment" in response["Content-Disposition"]
            assert response["Cache-Control"] == "private, no-store"
            assert len(PdfReader(BytesIO(b"".join(response.streaming_content))).pages) == 2

    def test_another_organizer_cannot_reach_any_of_it(self, client, campaign, senator):
        letter = letter_from(campaign, senator, "Maya", "Ortiz")
        packet = built(campaign, senator)
        client.force_login(organizer("stranger"))
        base = "/organize/clean-water/packets/"

        assert client.get(base).status_code == 404
        assert client.get(f"{base}{packet.uuid}/packet.pdf").status_code == 404
        assert (
            client.post(f"{base}build/", {"office": f"legislator:{senator.pk}"}).status_code == 404
        )
        assert client.post(f"{base}{packet.uuid}/delivered/").status_code == 404
        assert Packet.objects.count() == 1
        letter.refresh_from_db()
        assert letter.status == Status.QUEUED

    def test_a_packet_of_another_campaign_is_not_found_through_this_one(
        self, client, campaign, owner, senator
    ):
        mine_too = factories.campaign(owner=owner)
        letter_from(mine_too, senator, "Maya", "Ortiz")
        packet = built(mine_too, senator)
        client.force_login(owner)

        assert (
            client.get(f"/organize/clean-water/packets/{packet.uuid}/packet.pdf").status_code == 404
        )

    def test_visitors_are_sent_to_log_in_and_supporters_refused(self, client, campaign):
        assert client.get("/organize/clean-water/packets/").status_code == 302
        client.force_login(User.objects.create_user("supporter"))
        assert client.get("/organize/clean-water/packets/").status_code == 403

    def test_a_packet_still_building_cannot_be_downloaded(self, client, campaign, owner, senator):
        letter_from(campaign, senator, "Maya", "Ortiz")
        packet = packets.request_packet(campaign, senator, owner)
        client.force_login(owner)

        assert (
            client.get(f"/organize/clean-water/packets/{packet.uuid}/packet.pdf").status_code == 404
        )


class TestDeliveredByHand:
    def test_only_letters_no_channel_delivered_are_marked_and_only_once(
        self, client, campaign, owner, senator
    ):
        queued = letter_from(campaign, senator, "Maya", "Ortiz")
        failed = letter_from(campaign, senator, "Cara", "Lopez", Status.FAILED)
        by_cwc = letter_from(
            campaign, senator, "Ben", "Adams", Status.DELIVERED, channel="cwc", provider_id="x1"
        )
        packet = built(campaign, senator)
        cwc_delivered_at = Letter.objects.get(pk=by_cwc.pk).delivered_at
        client.force_login(owner)
        url = f"/organize/clean-water/packets/{packet.uuid}/delivered/"

        first = client.post(url, follow=True)
        again = client.post(url, follow=True)

        assert "2 letters are now marked delivered by hand" in first.content.decode()
        assert "already confirmed" in again.content.decode()
        for letter in (queued, failed):
            letter.refresh_from_db()
            assert (letter.status, letter.channel) == (Status.DELIVERED, "hand")
            assert letter.delivered_at is not None
        by_cwc.refresh_from_db()
        assert (by_cwc.status, by_cwc.channel, by_cwc.delivered_at) == (
            Status.DELIVERED,
            "cwc",
            cwc_delivered_at,
        )
        packet.refresh_from_db()
        assert packet.delivered_by == owner
        assert set(
            packet.entries.filter(delivered_by_hand=True).values_list("letter", flat=True)
        ) == {
            queued.pk,
            failed.pk,
        }
        assert "2 letters marked" in client.get("/organize/clean-water/packets/").content.decode()

    def test_a_second_packet_does_not_mark_letters_the_first_delivered(self, campaign, senator):
        letter_from(campaign, senator, "Maya", "Ortiz")
        first = built(campaign, senator)
        assert packets.mark_delivered_by_hand(first.pk, None) == 1
        later = letter_from(campaign, senator, "Ben", "Adams")
        second = built(campaign, senator)

        assert packets.mark_delivered_by_hand(second.pk, None) == 1

        assert second.entries.count() == 2
        assert list(
            second.entries.filter(delivered_by_hand=True).values_list("letter", flat=True)
        ) == [later.pk]

    def test_a_letter_a_worker_is_sending_is_left_to_the_worker(self, campaign, senator):
        sending = letter_from(campaign, senator, "Maya", "Ortiz")
        packet = built(campaign, senator)
        Letter.objects.filter(pk=sending.pk).update(status=Status.SENDING)

        assert packets.mark_delivered_by_hand(packet.pk, None) == 0

        sending.refresh_from_db()
        assert sending.status == Status.SENDING

    def test_a_letter_marked_by_hand_is_not_sent_by_a_worker_after(self, campaign, senator):
        queued = letter_from(campaign, senator, "Maya", "Ortiz")
        packets.mark_delivered_by_hand(built(campaign, senator).pk, None)

        assert sending.claim(queued.pk) is None

    def test_a_packet_not_ready_cannot_be_confirmed(self, campaign, senator):
        letter_from(campaign, senator, "Maya", "Ortiz")
        packet = packets.request_packet(campaign, senator, None)

        with pytest.raises(packets.PacketError, match="not ready"):
            packets.mark_delivered_by_hand(packet.pk, None)

    def test_hand_is_a_channel_letters_record_but_not_one_to_send_through(self, settings):
        assert "hand" in dict(Letter._meta.get_field("channel").choices)
        with pytest.raises(ImproperlyConfigured):
            registry.backend("hand")


class TestRetention:
    """A packet's PDF prints supporters' street addresses: it goes when they do."""

    def test_pdfs_older_than_the_retention_are_deleted_and_the_page_says_so(
        self, client, campaign, owner, senator, settings, storage
    ):
        settings.ADDRESS_RETENTION_DAYS = 30
        letter_from(campaign, senator, "Maya", "Ortiz")
        old, recent = built(campaign, senator), built(campaign, senator)
        Packet.objects.filter(pk=old.pk).update(built_at=timezone.now() - timedelta(days=31))
        old_file = storage / old.file.name

        privacy.erase_old_addresses()

        old.refresh_from_db()
        recent.refresh_from_db()
        assert not old.file and not old_file.exists()
        assert recent.file and (storage / recent.file.name).exists()
        assert old.entries.count() == 1
        client.force_login(owner)
        assert client.get(f"/organize/clean-water/packets/{old.uuid}/packet.pdf").status_code == 404

    def test_deleting_a_supporter_deletes_the_pdfs_holding_their_letter(
        self, campaign, senator, storage
    ):
        letter = letter_from(campaign, senator, "Maya", "Ortiz")
        packet = built(campaign, senator)
        pdf = storage / packet.file.name

        privacy.delete_supporter(letter.supporter)

        packet.refresh_from_db()
        assert not packet.file and not pdf.exists()
