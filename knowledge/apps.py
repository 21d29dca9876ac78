from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """The knowledge base; its receivers are connected in ``helpdesk/wiring.py`` and its workspace panel is
    listed in ``helpdesk/workspace.py``."""

    name = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Knowledge base"
