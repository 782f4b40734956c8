"""Included at staff/ by config/urls.py."""

from django.urls import path

from campaigns.views import staff

urlpatterns = [
    path("", staff.overview, name="staff_overview"),
    path("<slug:slug>/", staff.dashboard, name="staff_dashboard"),
    path("<slug:slug>/letters.csv", staff.letters_csv, name="staff_letters_csv"),
    path("<slug:slug>/attempts.csv", staff.attempts_csv, name="staff_attempts_csv"),
    path("<slug:slug>/supporters.csv", staff.supporters_csv, name="staff_supporters_csv"),
]
