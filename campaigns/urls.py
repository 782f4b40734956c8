from django.urls import path

from campaigns.views import public

urlpatterns = [
    path("", public.home, name="home"),
]
