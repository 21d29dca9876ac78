"""Celery tasks of side conversations. Thin: each calls a service."""

from celery import shared_task


@shared_task(name="partners.tasks.send_side_messages")
def send_side_messages() -> int:
    from .services import send_pending

    return send_pending()
