"""Outgoing chat webhooks: queueing deliveries (exactly once per webhook and key), the payload formats
(Slack, Microsoft Teams, Mattermost incoming webhooks; generic JSON signed with HMAC-SHA256), the URL
rules, and the delivery run with retries and backoff."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import Webhook, WebhookDelivery

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
MAX_ATTEMPTS = 8  # 30 s, 1, 2, 4, 8, 16, 32 min between tries: a receiver down for an hour ends "failed"
FIRST_BACKOFF = 30
# A claim is a lease: while a row is "sending", next_attempt_at holds the lease's end. A worker killed
# between claiming and posting leaves it "sending" only until then (issue #14/#15: nothing stuck).
LEASE = dt.timedelta(seconds=TIMEOUT_SECONDS * 12)
SIGNATURE_HEADER = "X-Helpdesk-Signature"


def absolute(path: str) -> str:
    return settings.HELPDESK_BASE_URL.rstrip("/") + path


# --- queueing ---------------------------------------------------------------------------------------------


def emit(event: str, key: str, title: str, text: str = "", link: str = "") -> int:
    """Queue one delivery per active webhook listening to ``event``, in the caller's transaction (one
    INSERT; a second call with the same key adds nothing). Returns rows queued."""
    return emit_many(event, [(key, title, text, link)])


def emit_many(event: str, items: list[tuple[str, str, str, str]]) -> int:
    """``items`` are (key, title, text, link); one query for the webhooks, one INSERT for all rows."""
    if not items:
        return 0
    hooks = list(Webhook.objects.filter(is_active=True, **{f"on_{event}": True}).values_list("id", flat=True))
    if not hooks:
        return 0
    now = timezone.now()
    rows = [
        WebhookDelivery(
            webhook_id=pk,
            event=event,
            key=f"{event}:{key}"[:200],
            title=title[:250],
            text=text,
            link=link,
            next_attempt_at=now,
        )
        for pk in hooks
        for key, title, text, link in items
    ]
    WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    if not any(entry[1] is _kick for entry in connection.run_on_commit):
        transaction.on_commit(_kick)
    return len(rows)


def ticket_item(ticket: Any, title: str, *, key: str, text: str = "") -> tuple[str, str, str, str]:
    body = text or f"“{ticket.subject}” · priority {ticket.get_priority_display()}"
    return (f"t{ticket.pk}:{key}", title, body, absolute(ticket.get_absolute_url()))


def emit_ticket(event: str, ticket: Any, title: str, *, key: str, text: str = "") -> int:
    return emit_many(event, [ticket_item(ticket, title, key=key, text=text)])


def _kick() -> None:
    from .tasks import deliver_webhooks

    try:
        deliver_webhooks.delay()
    except Exception:  # the broker may be down; beat runs the deliveries every 30 s anyway
        log.warning("could not queue deliver_webhooks; the periodic run will send it", exc_info=True)


# --- validation -------------------------------------------------------------------------------------------

_LOCAL = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _same_host(a: str, b: str) -> bool:
    a, b = a.lower().strip("[]"), b.lower().strip("[]")
    if a == b:
        return True
    try:
        return ipaddress.ip_address(a).is_loopback and (b in _LOCAL or ipaddress.ip_address(b).is_loopback)
    except ValueError:
        pass
    try:
        return a in _LOCAL and ipaddress.ip_address(b).is_loopback
    except ValueError:
        return a in _LOCAL and b in _LOCAL


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a webhook (None when it can): http(s) only, never the helpdesk itself."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return "This is not a valid web address."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "The address must start with http:// or https:// and name a host."
    own = urlsplit(settings.HELPDESK_BASE_URL)
    own_port = own.port or (443 if own.scheme == "https" else 80)
    port = port or (443 if parts.scheme == "https" else 80)
    if own.hostname and _same_host(parts.hostname, own.hostname) and port == own_port:
        return "This address points at the helpdesk itself; use the chat tool's incoming-webhook address."
    return None


# --- formats ----------------------------------------------------------------------------------------------


def payload(hook: Webhook, d: WebhookDelivery) -> dict[str, Any]:
    if hook.format == Webhook.Format.SLACK:
        head = f"<{d.link}|{d.title}>" if d.link else d.title
        return {"text": f"{head}\n{d.text}".strip()}
    if hook.format == Webhook.Format.MATTERMOST:
        head = f"[{d.title}]({d.link})" if d.link else d.title
        return {"text": f"{head}\n{d.text}".strip()}
    if hook.format == Webhook.Format.TEAMS:
        card: dict[str, Any] = {
            "@type": "MessageCard",
            "@context": "https://schema.org/extensions",
            "summary": d.title,
            "title": d.title,
            "text": d.text,
        }
        if d.link:
            card["potentialAction"] = [
                {
                    "@type": "OpenUri",
                    "name": "Open in the helpdesk",
                    "targets": [{"os": "default", "uri": d.link}],
                }
            ]
        return card
    return {
        "event": d.event,
        "delivery": d.key,
        "title": d.title,
        "text": d.text,
        "url": d.link,
        "created_at": d.created_at.isoformat(),
    }


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- delivering -------------------------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=FIRST_BACKOFF * 2 ** max(attempts - 1, 0))


def deliver_due(limit: int = 100, now: dt.datetime | None = None) -> dict[str, int]:
    """Post the due deliveries. Each is claimed with a compare-and-set (two runs never post one twice);
    a receiver that fails once in a run is not tried again in that run, so it delays nobody else."""
    now = now or timezone.now()
    counts = {"delivered": 0, "retry": 0, "failed": 0, "skipped": 0}
    release_expired_claims(now)
    due = list(
        WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", "webhook_id")[:limit]
    )
    broken: set[int] = set()
    for pk, hook_id in due:
        if hook_id in broken:
            counts["skipped"] += 1
            continue
        claimed = WebhookDelivery.objects.filter(pk=pk, state=WebhookDelivery.State.PENDING).update(
            state=WebhookDelivery.State.SENDING, attempts=F("attempts") + 1, next_attempt_at=now + LEASE
        )
        if not claimed:
            continue
        outcome = _deliver_one(pk)
        counts[outcome] += 1
        if outcome != "delivered":
            broken.add(hook_id)
    return counts


def _deliver_one(pk: int) -> str:
    d = WebhookDelivery.objects.select_related("webhook").get(pk=pk)
    hook = d.webhook
    body = json.dumps(payload(hook, d)).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "helpdesk-webhooks",
        "X-Helpdesk-Delivery": d.key,
    }
    if hook.format == Webhook.Format.JSON and hook.secret:
        headers[SIGNATURE_HEADER] = sign(hook.secret, body)
    status, error = None, ""
    try:
        problem = url_problem(hook.url)
        if problem:
            raise ValueError(problem)
        request = urllib.request.Request(hook.url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (http(s) checked)
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except Exception as exc:  # a network boundary: timeouts, refused connections, bad hosts
        error = f"{type(exc).__name__}: {exc}"[:2000]
    now = timezone.now()
    if status is not None and 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=pk).update(
            state=WebhookDelivery.State.DELIVERED, delivered_at=now, last_status=status, last_error=""
        )
        return "delivered"
    final = d.attempts >= MAX_ATTEMPTS
    log.warning("webhook %s delivery %s failed (attempt %s): %s", hook.pk, pk, d.attempts, error)
    WebhookDelivery.objects.filter(pk=pk).update(
        state=WebhookDelivery.State.FAILED if final else WebhookDelivery.State.PENDING,
        next_attempt_at=now + backoff(d.attempts),
        last_status=status,
        last_error=error or f"HTTP {status}",
    )
    if final:
        tell_staff([pk])
    return "failed" if final else "retry"


def release_expired_claims(now: dt.datetime | None = None) -> int:
    """Rows "sending" past their lease: tried again, or after the last attempt failed and the managers
    told. Set-based and idempotent; runs at the start of every delivery run."""
    now = now or timezone.now()
    expired = WebhookDelivery.objects.filter(state=WebhookDelivery.State.SENDING, next_attempt_at__lte=now)
    note = "The worker stopped while posting (its claim ran out); "
    given_up = list(expired.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True)[:500])
    if given_up:
        WebhookDelivery.objects.filter(pk__in=given_up, state=WebhookDelivery.State.SENDING).update(
            state=WebhookDelivery.State.FAILED, last_error=note + "gave up after the last attempt."
        )
        tell_staff(given_up)
    retried = expired.filter(attempts__lt=MAX_ATTEMPTS).update(
        state=WebhookDelivery.State.PENDING, next_attempt_at=now, last_error=note + "retrying."
    )
    if retried or given_up:
        log.warning("webhooks: %s expired claims retried, %s failed", retried, len(given_up))
    return retried + len(given_up)


def tell_staff(ids: list[int]) -> None:
    """One in-app notice per failed delivery for each manager (dedupe key per row: told once)."""
    from escalation.selectors import managers
    from tickets.outbox import notify_user

    people = managers()
    for d in WebhookDelivery.objects.filter(pk__in=ids).select_related("webhook"):
        text = (
            f"The chat post “{d.title[:120]}” to {d.webhook.name} could not be delivered after "
            f"{d.attempts} attempts: {d.last_error[:300]} Check the hook on the chat hooks screen, then "
            "use “Try again” in its delivery log."
        )
        for person in people:
            notify_user(None, person, "webhook_failed", f"webhook_failed:{d.pk}:{person.pk}", text)


def retry(delivery: WebhookDelivery) -> None:
    """A manager asks for a failed delivery to be tried again (one more round of attempts)."""
    WebhookDelivery.objects.filter(pk=delivery.pk, state=WebhookDelivery.State.FAILED).update(
        state=WebhookDelivery.State.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    transaction.on_commit(_kick)
