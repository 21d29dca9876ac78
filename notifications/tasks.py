from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def deliver_webhooks() -> dict[str, int]:
    from .webhooks import deliver_due

    return deliver_due()


@shared_task(acks_late=True)
def queue_chat_events() -> int:
    from .chat_events import queue_recent

    return queue_recent()


@shared_task(acks_late=True)
def send_digests() -> dict[str, int]:
    from .digest import send_digests as run

    return run()
