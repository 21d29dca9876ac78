"""Celery tasks of the email channel. Thin: each calls a service."""

from celery import shared_task


@shared_task(name="mail.tasks.process_inbound_email")
def process_inbound_email(pk: int) -> str | None:
    from .services import process

    row = process(pk)
    return row.state if row is not None else None


@shared_task(name="mail.tasks.sweep_inbound")
def sweep_inbound() -> int:
    from .services import sweep

    return sweep()


@shared_task(name="mail.tasks.poll_mailboxes")
def poll_mailboxes() -> dict[str, int]:
    from .services.imap import poll_all

    return poll_all()
