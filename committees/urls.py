from django.urls import path

from committees import views

urlpatterns = [
    path("c/<slug:slug>/write-anyway/", views.write_anyway, name="campaign_write_anyway"),
    path(
        "organize/<slug:slug>/committees/", views.campaign_committees, name="organizer_committees"
    ),
]
