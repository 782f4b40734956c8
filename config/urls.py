from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy

from campaigns.views.media import media
from config.health import healthz
from config.signin import AdminSignInForm, SignInForm

admin.site.login_form = AdminSignInForm

SITE = {"site_name": lazy(lambda: settings.SITE_NAME, str)()}


def favicon(request):
    """Browsers ask for /favicon.ico on every site, whatever the page's <link rel="icon">."""
    return redirect(static("favicon.ico"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
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
    path("", include("campaigns.urls")),
]
