from django.urls import path

from twofactor import views

urlpatterns = [
    path("accounts/two-factor/setup/", views.setup, name="twofactor_setup"),
    path("accounts/two-factor/verify/", views.verify, name="twofactor_verify"),
    path("accounts/two-factor/recovery-codes/", views.recovery_codes, name="twofactor_recovery"),
]
