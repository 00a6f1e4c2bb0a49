from __future__ import annotations

from django.urls import path

from amparo.api import views
from amparo.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("my/api-tokens/", views.tokens, name="api-tokens"),
    path("my/api-tokens/<int:pk>/revoke/", views.token_revoke, name="api-token-revoke"),
]
