from django.urls import path

from webhooks import views

urlpatterns = [
    path("organize/webhooks/", views.webhooks_page, name="webhooks"),
    path(
        "organize/webhooks/<int:hook_id>/<str:action>/",
        views.change_webhook,
        name="webhook_change",
    ),
]
