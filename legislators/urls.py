from django.urls import path

from legislators import views

app_name = "legislators"
urlpatterns = [
    path("", views.lookup, name="lookup"),
]
