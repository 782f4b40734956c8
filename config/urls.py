from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The admin signs in through the same page, second factor included.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("lookup/", include("legislators.urls")),
    path("staff/", include("campaigns.urls_staff")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("committees.urls")),
    path("", include("api.urls")),
    path("", include("webhooks.urls")),
    path("", include("twofactor.urls")),
    path("", include("campaigns.urls")),
]
