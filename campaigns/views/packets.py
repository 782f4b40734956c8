"""Hand-delivery packets on the organizer's pages: the offices written to,
a packet built per office, its PDF, and the word that it was handed over.

Only the campaign's organizer and staff reach them (a 404 for anyone
else's campaign, as on every organizer page); the PDFs carry supporters'
names and addresses, so they are read through this view, never the
storage's own URL.
"""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from campaigns import packets, tasks
from campaigns.models import Packet
from campaigns.permissions import get_managed_campaign, organizer_required


@organizer_required
def office_list(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    return render(
        request,
        "campaigns/organizer/packets.html",
        {"campaign": campaign, "offices": packets.offices(campaign)},
    )


@organizer_required
@require_POST
def build(request, slug):
    campaign = get_managed_campaign(request.user, slug)
    try:
        office = packets.find_office(campaign, request.POST.get("office", ""))
    except packets.PacketError as refused:
        messages.error(request, str(refused))
        return redirect("organizer_packets", slug=campaign.slug)
    with transaction.atomic():
        packet = packets.request_packet(campaign, office, request.user)
        tasks.build_packet.delay_on_commit(packet.pk)
    messages.success(
        request,
        _("The packet for %(office)s is being printed; this page shows when it is ready.")
        % {"office": packets.office_name(office)},
    )
    return redirect("organizer_packets", slug=campaign.slug)


@organizer_required
def download(request, slug, packet):
    campaign = get_managed_campaign(request.user, slug)
    packet = get_object_or_404(Packet, uuid=packet, campaign=campaign)
    if packet.status != Packet.Status.READY:
        raise Http404(_("This packet is not ready."))
    if not packet.file:
        raise Http404(_("This packet's file was deleted; print it again."))
    try:
        pdf = default_storage.open(packet.file.name)
    except FileNotFoundError:
        raise Http404(_("This packet's file is gone; build it again.")) from None
    response = FileResponse(
        pdf,
        as_attachment=True,
        filename=packets.download_name(packet),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@organizer_required
@require_POST
def delivered_by_hand(request, slug, packet):
    campaign = get_managed_campaign(request.user, slug)
    packet = get_object_or_404(Packet, uuid=packet, campaign=campaign)
    try:
        marked = packets.mark_delivered_by_hand(packet.pk, request.user)
    except packets.PacketError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            ngettext(
                "Thank you. %(count)d letter is now marked delivered by hand; "
                "letters delivered electronically keep their channel.",
                "Thank you. %(count)d letters are now marked delivered by hand; "
                "letters delivered electronically keep their channel.",
                marked,
            )
            % {"count": marked},
        )
    return redirect("organizer_packets", slug=campaign.slug)
