from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from campaigns.views.media import media
from config.health import healthz
from config.signin import SignInForm
from operations.views import metrics

SITE = {"site_name": lazy(lambda: settings.SITE_NAME, str)()}


def favicon(request):
    """Browsers ask for /favicon.ico on every site, whatever the page's <link rel="icon">."""
    return redirect(static("favicon.ico"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    # The admin signs in through the same page, second factor included.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
    path("lookup/", include("legislators.urls")),
    path("staff/", include("campaigns.urls_staff")),
    # Django's auth views put the host in site_name; the header wants ours.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm, extra_context=SITE),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(extra_context=SITE), name="logout"),
    path("favicon.ico", favicon),
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media),
    path("", include("committees.urls")),
    path("", include("api.urls")),
    path("", include("webhooks.urls")),
    path("", include("twofactor.urls")),
    path("", include("campaigns.urls")),
]
