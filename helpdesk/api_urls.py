"""One router for the whole API; each app registers its viewsets in ``<app>/api.py: register(router)``."""

from importlib import import_module

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
for app in ("tickets", "triage", "escalation", "sla"):
    try:
        module = import_module(f"{app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.api":
            raise
        continue
    module.register(router)

urlpatterns = router.urls
