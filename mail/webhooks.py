"""Provider webhooks (django-anymail inbound) at ``/inbound/<provider>/``: anymail checks the webhook
secret (``ANYMAIL_WEBHOOK_SECRET`` basic auth, or the provider's signing key) and normalises the payload;
each message is then stored raw like any other inbound mail."""

from __future__ import annotations

from typing import Any

from anymail.webhooks.amazon_ses import AmazonSESInboundWebhookView
from anymail.webhooks.brevo import BrevoInboundWebhookView
from anymail.webhooks.mailersend import MailerSendInboundWebhookView
from anymail.webhooks.mailgun import MailgunInboundWebhookView
from anymail.webhooks.mailjet import MailjetInboundWebhookView
from anymail.webhooks.postal import PostalInboundWebhookView
from anymail.webhooks.postmark import PostmarkInboundWebhookView
from anymail.webhooks.resend import ResendInboundWebhookView
from anymail.webhooks.sendgrid import SendGridInboundWebhookView
from anymail.webhooks.sparkpost import SparkPostInboundWebhookView

from .services import store


class _StoreInbound:
    """Stands in for anymail's ``inbound`` signal on our views: store each message, errors propagate
    (the provider gets a 5xx and retries — never a silent loss)."""

    @staticmethod
    def send(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> list:
        message = event.message
        if message is None:
            return []
        recipients = [message.envelope_recipient] if getattr(message, "envelope_recipient", None) else []
        store(
            message.as_bytes(),
            channel="webhook",
            envelope_from=getattr(message, "envelope_sender", None) or "",
            envelope_to=recipients,
        )
        return []


_BASES = {
    "amazon_ses": AmazonSESInboundWebhookView,
    "brevo": BrevoInboundWebhookView,
    "mailersend": MailerSendInboundWebhookView,
    "mailgun": MailgunInboundWebhookView,
    "mailjet": MailjetInboundWebhookView,
    "postal": PostalInboundWebhookView,
    "postmark": PostmarkInboundWebhookView,
    "resend": ResendInboundWebhookView,
    "sendgrid": SendGridInboundWebhookView,
    "sparkpost": SparkPostInboundWebhookView,
}
VIEWS = {
    name: type(f"Store{base.__name__}", (base,), {"signal": _StoreInbound()}) for name, base in _BASES.items()
}
