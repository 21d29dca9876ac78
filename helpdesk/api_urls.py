"""One router for the whole API; each app registers its viewsets in ``<app>/api.py: register(router)``."""

from rest_framework.routers import DefaultRouter

from .discovery import app_modules

router = DefaultRouter()
for _app, _module in app_modules("api"):
    _module.register(router)

from knowledge.api import register as _register_knowledge  # noqa: E402

_register_knowledge(router)

urlpatterns = router.urls
