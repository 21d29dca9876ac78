"""Every URL of the project, listed by hand. Each app's ``urls.py`` carries its full path prefixes
(triage/, known-issues/, sla/ …) and its own ``app_name`` namespace."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import health

# Swagger UI (served from our static files, script in a file) sets inline styles: allowed on this page only.
_docs_styles = {"style-src": [UNSAFE_INLINE]}
api_docs = csp_update(_docs_styles)(
    csp_update(_docs_styles, REPORT_ONLY=True)(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
)
# Redoc (also from static) sets inline styles and renders the schema in a blob: web worker.
_redoc_needs = {"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]}
api_redoc = csp_update(_redoc_needs)(
    csp_update(_redoc_needs, REPORT_ONLY=True)(SpectacularRedocView.as_view(url_name="api-schema"))
)


urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("api/redoc/", api_redoc, name="api-redoc"),
    path("api/", include("helpdesk.api_urls")),
    path("", include("attachments.urls")),
    path("", include("knowledge.urls")),
    path("", include("tickets.urls")),
    path("", include("reports.urls")),
    path("", include("playbook.urls")),
    path("", include("triage.urls")),
    path("", include("escalation.urls")),
    path("", include("sla.urls")),
    path("", include("notifications.urls")),
    path("", include("mail.urls")),
    path("", include("macros.urls")),
    path("", include("partners.urls")),
]
