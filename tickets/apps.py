from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_save

        from helpdesk.permissions import forget_role

        User = get_user_model()
        post_save.connect(forget_role, sender=User, dispatch_uid="helpdesk-forget-role-user")
        m2m_changed.connect(
            forget_role, sender=User.groups.through, dispatch_uid="helpdesk-forget-role-groups"
        )
        from django.contrib.auth.models import Group
        from django.db.models.signals import pre_delete

        pre_delete.connect(forget_role, sender=Group, dispatch_uid="helpdesk-forget-role-group-deleted")
