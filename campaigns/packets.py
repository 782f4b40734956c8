"""Hand-delivery packets: the offices a campaign's letters went to, a packet
of one office's letters built by a worker (campaigns/tasks.build_packet),
and the organizer's word that it was handed over.

A packet holds every letter a supporter meant to send to the office,
whatever became of it electronically: a lobby day hands over all of them.
Confirming the hand delivery marks only the letters no channel delivered.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaigns import packet_pdf
from campaigns.delivery.registry import HAND
from campaigns.models import CustomTarget, Letter, Packet, PacketLetter
from legislators.divisions import seat_from_ocd_id
from legislators.models import Legislator

Status = Letter.Status
# Letters never meant to go (not confirmed, cancelled) stay out of packets.
NOT_SENT = [Status.UNCONFIRMED, Status.CANCELLED, Status.EXPIRED]
# Letters a hand delivery does not deliver: delivered already, or with a
# worker that may be delivering it this moment (its own outcome will tell).
NOT_BY_HAND = [*NOT_SENT, Status.DELIVERED, Status.SENDING]


class PacketError(Exception):
    """An organizer's request that cannot be done; the message says why."""


def office_key(office):
    """How a form names an office: "legislator:12" or "target:3"."""
    kind = "legislator" if isinstance(office, Legislator) else "target"
    return f"{kind}:{office.pk}"


def office_name(office):
    if isinstance(office, Legislator):
        return f"{office.title} {office.display_name}"
    return office.name


def find_office(campaign, key):
    """The office a form named, among those the campaign's letters went to."""
    kind, _sep, pk = key.partition(":")
    if not pk.isdigit() or kind not in ("legislator", "target"):
        raise PacketError(_("Choose an office from the list."))
    if kind == "legislator":
        office = Legislator.objects.filter(pk=pk, letters__campaign=campaign).first()
    else:
        office = CustomTarget.objects.filter(pk=pk, campaign=campaign).first()
    if office is None or not _letters_to(campaign, office).exists():
        raise PacketError(_("This campaign has no letters to that office."))
    return office


def offices(campaign):
    """The offices with letters in a packet's reach, most letters first:
    dicts of the office, its letters, those delivered (electronically or by
    hand) and its latest packet (or None)."""
    grouped = (
        campaign.letters.exclude(status__in=NOT_SENT)
        .values("legislator", "custom_target")
        .annotate(letters=Count("*"), delivered=Count("pk", filter=Q(status=Status.DELIVERED)))
        .order_by()
    )
    rows = list(grouped)
    members = Legislator.objects.in_bulk([row["legislator"] for row in rows if row["legislator"]])
    targets = campaign.custom_targets.in_bulk(
        [row["custom_target"] for row in rows if row["custom_target"]]
    )
    latest = _latest_packets(campaign)
    found = []
    for row in rows:
        if row["legislator"]:
            office, key = members[row["legislator"]], ("legislator", row["legislator"])
        else:
            office, key = targets[row["custom_target"]], ("target", row["custom_target"])
        found.append(
            {
                "office": office,
                "name": office_name(office),
                "key": office_key(office),
                "letters": row["letters"],
                "delivered": row["delivered"],
                "packet": latest.get(key),
            }
        )
    return sorted(found, key=lambda row: (-row["letters"], str(row["office"])))


def _latest_packets(campaign):
    """Each office's newest packet, with how many letters it holds (`held`)
    and delivered by hand (`by_hand`)."""
    newest = campaign.packets.values("legislator", "custom_target").annotate(newest=Max("pk"))
    packets = Packet.objects.filter(pk__in=[row["newest"] for row in newest]).annotate(
        held=Count("entries"), by_hand=Count("entries", filter=Q(entries__delivered_by_hand=True))
    )
    return {
        ("legislator", p.legislator_id) if p.legislator_id else ("target", p.custom_target_id): p
        for p in packets
    }


def request_packet(campaign, office, user):
    """A packet to build for the office; the caller queues the build on commit."""
    member = office if isinstance(office, Legislator) else None
    return Packet.objects.create(
        campaign=campaign,
        legislator=member,
        custom_target=None if member else office,
        requested_by=user,
    )


def build(packet_id):
    """Record the letters the packet holds, print them and store the PDF.
    Run again (a retried task), it builds the packet afresh."""
    packet = Packet.objects.select_related("campaign", "legislator", "custom_target").get(
        pk=packet_id
    )
    if packet.status != Packet.Status.BUILDING:
        return
    letters = list(
        _letters_to(packet.campaign, packet.recipient)
        .select_related("supporter", "submission")
        .order_by("supporter__last_name", "supporter__first_name", "pk")
    )
    if not letters:
        Packet.objects.filter(pk=packet.pk).update(
            status=Packet.Status.FAILED, error=_("No letters to this office.")
        )
        return
    content = packet_pdf.render(_cover(packet, letters), [_page(letter) for letter in letters])
    name = default_storage.save(_file_name(packet), ContentFile(content))
    with transaction.atomic():
        PacketLetter.objects.filter(packet=packet).delete()
        PacketLetter.objects.bulk_create(
            PacketLetter(packet=packet, letter=letter, page=number)
            for number, letter in enumerate(letters, start=2)
        )
        Packet.objects.filter(pk=packet.pk).update(
            status=Packet.Status.READY, file=name, built_at=timezone.now()
        )


def build_failed(packet_id, error):
    """A build that cannot succeed, its reason kept for the organizer."""
    Packet.objects.filter(pk=packet_id, status=Packet.Status.BUILDING).update(
        status=Packet.Status.FAILED, error=str(error)[:500]
    )


def _letters_to(campaign, office):
    mine = {"legislator": office} if isinstance(office, Legislator) else {"custom_target": office}
    return campaign.letters.filter(**mine).exclude(status__in=NOT_SENT)


def _cover(packet, letters):
    office = packet.recipient
    seat = office.seat_label if isinstance(office, Legislator) else office.salutation
    ocd_ids = {letter.submission.district_ocd_id for letter in letters}
    seats = sorted(filter(None, (seat_from_ocd_id(ocd_id) for ocd_id in ocd_ids if ocd_id)))
    return packet_pdf.Cover(
        campaign=packet.campaign.title,
        organization=packet.campaign.organization,
        office=office_name(office),
        seat=seat,
        constituents=len({letter.supporter_id for letter in letters}),
        districts=[seat.label for seat in seats],
        built_on=timezone.localdate(),
    )


def _page(letter):
    supporter = letter.supporter
    # A street erased after delivery (campaigns/privacy.py) leaves the town.
    address = [supporter.street] if supporter.street else []
    address.append(f"{supporter.city}, {supporter.state} {supporter.zip_code}")
    return packet_pdf.Page(
        name=supporter.full_name,
        address=address,
        email=supporter.email,
        written_on=timezone.localdate(letter.created_at),
        subject=letter.subject,
        body=letter.body,
    )


def _file_name(packet):
    office = slugify(str(packet.recipient.salutation))[:40]
    return f"campaigns/packets/{packet.campaign.slug}-{office}-{packet.uuid.hex[:8]}.pdf"


def forget_files(packets):
    """Delete these packets' PDFs from the storage: they hold supporters'
    names and street addresses, which are not kept for ever
    (campaigns/privacy.py). The packets stay, with the letters they held."""
    stored = Packet.objects.filter(pk__in=packets.values("pk")).exclude(file="")
    for name in stored.values_list("file", flat=True):
        default_storage.delete(name)
    return stored.update(file="")


def download_name(packet):
    return _file_name(packet).rpartition("/")[2]


def mark_delivered_by_hand(packet_id, user):
    """The organizer handed the packet over: its letters that no channel
    delivered become delivered by hand, once. Returns how many; PacketError
    when the packet is not ready or was confirmed before."""
    with transaction.atomic():
        packet = Packet.objects.select_for_update().get(pk=packet_id)
        if packet.status != Packet.Status.READY:
            raise PacketError(_("This packet is not ready yet."))
        if packet.delivered_at is not None:
            raise PacketError(_("This packet was already confirmed as delivered by hand."))
        # Locked, so a worker's claim waits and then finds them delivered.
        held = Letter.objects.filter(pk__in=packet.entries.values("letter"))
        waiting = held.exclude(status__in=NOT_BY_HAND).select_for_update()
        ids = list(waiting.values_list("pk", flat=True))
        now = timezone.now()
        Letter.objects.filter(pk__in=ids).update(
            status=Status.DELIVERED, channel=HAND, delivered_at=now
        )
        packet.entries.filter(letter_id__in=ids).update(delivered_by_hand=True)
        Packet.objects.filter(pk=packet.pk).update(delivered_at=now, delivered_by=user)
    return len(ids)
