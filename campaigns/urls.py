from django.urls import path

from campaigns.views import embed, organizer, packets, public, replies, variants

urlpatterns = [
    path("", public.home, name="home"),
    path("c/<slug:slug>/", public.campaign_page, name="campaign"),
    path("c/<slug:slug>/district/", public.choose_district, name="campaign_district"),
    path("c/<slug:slug>/send/", public.send_letters, name="campaign_send"),
    path("c/<slug:slug>/thanks/<uuid:submission>/", public.thanks, name="campaign_thanks"),
    path("c/<slug:slug>/embed/", embed.embed_page, name="campaign_embed"),
    path("c/<slug:slug>/embed/district/", embed.embed_district, name="campaign_embed_district"),
    path("c/<slug:slug>/embed/send/", embed.embed_send, name="campaign_embed_send"),
    path(
        "c/<slug:slug>/embed/thanks/<uuid:submission>/<str:token>/",
        embed.thanks,
        name="campaign_embed_thanks",
    ),
    path("c/<slug:slug>/confirm/<str:token>/", public.confirm, name="campaign_confirm"),
    path("targets/confirm/<str:token>/", public.confirm_target, name="target_confirm"),
    path("replied/<str:token>/", replies.answer, name="follow_up_answer"),
    path("organize/", organizer.campaign_list, name="organizer_list"),
    path("organize/new/", organizer.new_campaign, name="organizer_new"),
    path(
        "organize/new/<uuid:release_import>/",
        organizer.release_import,
        name="organizer_import",
    ),
    path("organize/<slug:slug>/", organizer.edit_campaign, name="organizer_edit"),
    path("organize/<slug:slug>/preview/", organizer.preview_campaign, name="organizer_preview"),
    path("organize/<slug:slug>/ask/", organizer.choose_ask, name="organizer_choose_ask"),
    path("organize/<slug:slug>/packets/", packets.office_list, name="organizer_packets"),
    path("organize/<slug:slug>/packets/build/", packets.build, name="organizer_packet_build"),
    path(
        "organize/<slug:slug>/packets/<uuid:packet>/packet.pdf",
        packets.download,
        name="organizer_packet_download",
    ),
    path(
        "organize/<slug:slug>/packets/<uuid:packet>/delivered/",
        packets.delivered_by_hand,
        name="organizer_packet_delivered",
    ),
    path("organize/<slug:slug>/variants/", variants.variant_list, name="organizer_variants"),
    path(
        "organize/<slug:slug>/variants/<int:variant>/",
        variants.edit_variant,
        name="organizer_variant_edit",
    ),
    path(
        "organize/<slug:slug>/variants/<int:variant>/retire/",
        variants.retire_variant,
        name="organizer_variant_retire",
    ),
    path("organize/<slug:slug>/<str:action>/", organizer.change_status, name="organizer_action"),
]
