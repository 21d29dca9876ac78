"""Periodic jobs of the notifications app (listed in settings' CELERY_BEAT_SCHEDULE)."""

SCHEDULE: dict[str, dict] = {
    "notifications-deliver-webhooks": {"task": "notifications.tasks.deliver_webhooks", "schedule": 30.0},
    "notifications-queue-chat-events": {"task": "notifications.tasks.queue_chat_events", "schedule": 60.0},
    "notifications-send-digests": {"task": "notifications.tasks.send_digests", "schedule": 60.0},
}
