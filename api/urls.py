from django.urls import path

from api import views
from api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("organize/api-tokens/", views.tokens_page, name="api_tokens"),
    path("organize/api-tokens/<int:token_id>/revoke/", views.revoke_token, name="api_token_revoke"),
]
