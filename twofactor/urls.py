from django.urls import path

from twofactor import views

urlpatterns = [
    path("accounts/two-factor/setup/", views.setup, name="twofactor_setup"),
    path("accounts/two-factor/verify/", views.verify, name="twofactor_verify"),
    path("accounts/two-factor/recovery-codes/", views.recovery_codes, name="twofactor_recovery"),
    path(
        "accounts/two-factor/keys/add/options/", views.key_register_options, name="key_add_options"
    ),
    path("accounts/two-factor/keys/add/", views.key_register, name="key_add"),
    path(
        "accounts/two-factor/keys/verify/options/",
        views.key_verify_options,
        name="key_verify_options",
    ),
    path("accounts/two-factor/keys/verify/", views.key_verify, name="key_verify"),
]
