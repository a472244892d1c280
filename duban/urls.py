from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from duban.core.health import healthz
from duban.core.metrics import metrics

api_patterns = [
    path("auth/", include("duban.accounts.api.urls")),
    path("", include("duban.organisation.api.urls")),
    path("", include("duban.accounts.api.users_urls")),
    path("", include("duban.audit.api.urls")),
    path("", include("duban.workcalendar.api.urls")),
    path("ppp/", include("duban.ppp.api.urls")),
    path("bonds/", include("duban.bonds.api.urls")),
    path("", include("duban.directives.api.urls")),
    path("", include("duban.weekly.api.urls")),
    path("", include("duban.notifications.api.urls")),
    path("minutes/", include("duban.minutes.api.urls")),
    path("incentives/", include("duban.incentives.api.urls")),
    path("assessment/", include("duban.assessment.api.urls")),
    path("", include("duban.surveys.api.urls")),
    path("", include("duban.cockpit.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

handler404 = "duban.core.api.views.not_found"
handler500 = "duban.core.api.views.server_error"

urlpatterns = [
    path("", include("duban.cockpit.urls")),
    path("accounts/", include("duban.accounts.urls")),
    path("units/", include("duban.organisation.urls")),
    path("audit/", include("duban.audit.urls")),
    path("calendar/", include("duban.workcalendar.urls")),
    path("ppp/", include("duban.ppp.urls")),
    path("bonds/", include("duban.bonds.urls")),
    path("directives/", include("duban.directives.urls")),
    path("weekly/", include("duban.weekly.urls")),
    path("notifications/", include("duban.notifications.urls")),
    path("minutes/", include("duban.minutes.urls")),
    path("incentives/", include("duban.incentives.urls")),
    path("assessment/", include("duban.assessment.urls")),
    path("surveys/", include("duban.surveys.urls")),
    path("", include("duban.core.urls")),
    path("api/", include((api_patterns, "api"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    # Operations (docs/operations.md): the load balancer's health check, the monitoring system's figures.
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A refused request (and an 11 MB paste) answers a Chinese page that says why, not "Bad Request (400)".
handler400 = "duban.core.views.bad_request"
