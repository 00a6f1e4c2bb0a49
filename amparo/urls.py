from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("amparo.territory.urls")),
    path("", include("amparo.rollout.urls")),
    path("", include("amparo.assessment.urls")),
    path("", include("amparo.mitigation.urls")),
    path("", include("amparo.questionnaires.urls")),
    path("", include("amparo.fieldservers.urls")),
    path("", include("amparo.indicators.urls")),
    path("", include("amparo.policy.urls")),
    path("", include("amparo.dhis2.urls")),
    path("", include("amparo.partnerships.urls")),
    path("", include("amparo.api.urls")),
    path("", include("amparo.reports.urls")),
    path("", include("amparo.ops.urls")),
    path("", include("amparo.disclosure.urls")),
    path("accounts/", include("amparo.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# A database that is away for a moment answers "try again in a moment" (503), not a 500.
handler500 = "amparo.ops.errors.server_error"
