"""Known-issue tracker writes (004 "Known issues", "Use of Sorry"): create/update, link tickets (tag
``<number>-<short-name>``), the status-page post, and resolving with one public reply to every linked
unfinished ticket — sent exactly once per ticket, resumable after a crash."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator, slugify

from escalation import selectors
from escalation.errors import InvalidInput
from escalation.models import BroadcastDelivery, KnownIssue, KnownIssueBroadcast, KnownIssueLink
from helpdesk.batch import keyset_chunks
from tickets import services as core
from tickets.models import UNFINISHED_STATUSES, Status, Ticket, TicketEvent, Tier

log = logging.getLogger(__name__)

BROADCAST_CHUNK = 50
BROADCAST_STATUSES = ("", Status.PENDING, Status.RESOLVED)
DEFAULT_RESOLVED_TEXT = (
    "Hi,\n\nGood news: the issue you reported (“{title}”) has been fixed. Everything should work as expected "
    "again. If you still see a problem, just reply to this message and we'll take another look.\n\n"
    "— The support team"
)


def _clean_fields(title: str, short_name: str, external_url: str) -> tuple[str, str, str]:
    title = (title or "").strip()
    short = slugify(short_name or "")[:40].strip("-")
    url = (external_url or "").strip()
    if not title:
        raise InvalidInput("A known issue needs a title.", field="title")
    if not short:
        raise InvalidInput(
            "Give the known issue a short name of a couple of words (used in its tag).", field="short_name"
        )
    if url and not url.startswith(("http://", "https://")):
        raise InvalidInput("The external link must start with http:// or https://.", field="external_url")
    return title[:200], short, url


def create_known_issue(
    by: Any,
    *,
    title: str,
    short_name: str,
    external_url: str = "",
    description: str = "",
    status: str = KnownIssue.Status.INVESTIGATING,
) -> KnownIssue:
    title, short, url = _clean_fields(title, short_name, external_url)
    if status not in (KnownIssue.Status.INVESTIGATING, KnownIssue.Status.KNOWN):
        raise InvalidInput("A new known issue is Investigating or Known.", field="status")
    with transaction.atomic():
        return KnownIssue.objects.create(
            number=core.next_number("known_issue"),
            title=title,
            short_name=short,
            external_url=url,
            description=(description or "").strip(),
            status=status,
            created_by=by if _user(by) else None,
        )


def update_known_issue(
    ki: KnownIssue,
    by: Any,
    *,
    title: str,
    external_url: str = "",
    description: str = "",
    status: str | None = None,
) -> KnownIssue:
    """Edit text fields and move between Investigating and Known (resolving goes through
    ``resolve_known_issue``). The short name is fixed once tickets carry its tag."""
    title, _, url = _clean_fields(title, ki.short_name, external_url)
    if status is not None and status not in (KnownIssue.Status.INVESTIGATING, KnownIssue.Status.KNOWN):
        raise InvalidInput("Use “Resolve” to resolve a known issue.", field="status")
    with transaction.atomic():
        ki = KnownIssue.objects.select_for_update().get(pk=ki.pk)
        ki.title, ki.external_url, ki.description = title, url, (description or "").strip()
        if status:
            ki.status = status
            ki.resolved_at = None
        ki.save()
    return ki


def link_ticket(ticket: Ticket, ki: KnownIssue | int | str, by: Any) -> KnownIssueLink:
    """Link a ticket to a known issue and tag it ``<number>-<short-name>`` (004)."""
    if not isinstance(ki, KnownIssue):
        found = selectors.known_issue_by_number(ki)
        if found is None:
            raise InvalidInput(f"Known issue #{ki} does not exist.", field="known_issue")
        ki = found
    with transaction.atomic():
        locked = core.lock(ticket)
        existing = KnownIssueLink.objects.filter(ticket=locked).select_related("known_issue").first()
        if existing and existing.known_issue_id == ki.pk:
            return existing
        if existing:
            raise InvalidInput(
                f"This ticket is already linked to KI-{existing.known_issue.number}; unlink it first.",
                field="known_issue",
            )
        link = KnownIssueLink.objects.create(
            ticket=locked, known_issue=ki, linked_by=by if _user(by) else None
        )
        core.add_tag(locked, by, ki.tag_name)
        core.record(locked, "known_issue_linked", by, known_issue=ki.number, tag=ki.tag_name)
    return link


def unlink_ticket(ticket: Ticket, by: Any) -> None:
    with transaction.atomic():
        locked = core.lock(ticket)
        link = KnownIssueLink.objects.filter(ticket=locked).select_related("known_issue").first()
        if link is None:
            return
        ki = link.known_issue
        link.delete()
        names = [n for n in locked.tags.values_list("name", flat=True) if n != ki.tag_name]
        core.set_tags(locked, by, names)
        core.record(locked, "known_issue_unlinked", by, known_issue=ki.number)


def set_status_post(ki: KnownIssue, by: Any, *, post: str, text: str) -> KnownIssue:
    """Publish, change or withdraw the public status-page post (Manager role, checked by the caller)."""
    text = (text or "").strip()
    if post not in KnownIssue.Post.values:
        raise InvalidInput(f"Unknown status post {post!r}.", field="post")
    if post != KnownIssue.Post.NONE and not text:
        raise InvalidInput("A status post needs a public text.", field="text")
    with transaction.atomic():
        ki = KnownIssue.objects.select_for_update().get(pk=ki.pk)
        ki.status_post = post
        ki.status_post_text = text if post != KnownIssue.Post.NONE else ki.status_post_text
        ki.status_posted_at = timezone.now()
        ki.save(update_fields=["status_post", "status_post_text", "status_posted_at", "updated_at"])
    return ki


def resolve_known_issue(
    ki: KnownIssue, by: Any, *, reply: str = "", set_status: str = "", post_text: str = ""
) -> KnownIssueBroadcast | None:
    """Resolve; with ``reply`` text, queue the one public reply to every linked unfinished ticket.

    The delivery rows are written in the same transaction as the resolution; the Celery task sending
    them starts after commit. A posted status-page entry moves to Resolved with ``post_text``, which is
    then required (issue #15 item 13: "Resolved" must never sit above "We are working on a fix.")."""
    reply, post_text = (reply or "").strip(), (post_text or "").strip()
    if set_status not in BROADCAST_STATUSES:
        raise InvalidInput(f"Unknown status {set_status!r} for the replies.", field="set_status")
    with transaction.atomic():
        ki = KnownIssue.objects.select_for_update().get(pk=ki.pk)
        if ki.status_post != KnownIssue.Post.NONE and not post_text:
            said = Truncator(ki.status_post_text).chars(80)
            raise InvalidInput(
                f"The status page still says “{said}”. Write what the public reads now that it is fixed.",
                field="post_text",
            )
        if reply and KnownIssueBroadcast.objects.filter(known_issue=ki).exists():
            raise InvalidInput(
                "The linked tickets have already been sent the resolution reply.", field="reply"
            )
        now = timezone.now()
        ki.status, ki.resolved_at = KnownIssue.Status.RESOLVED, ki.resolved_at or now
        if ki.status_post != KnownIssue.Post.NONE:
            ki.status_post, ki.status_posted_at = KnownIssue.Post.RESOLVED, now
            ki.status_post_text = post_text
        ki.save()
        if not reply:
            return None
        broadcast = KnownIssueBroadcast.objects.create(
            known_issue=ki, body=reply, set_status=set_status, created_by=by if _user(by) else None
        )
        _link_tagged(ki, by)
        ids = list(
            KnownIssueLink.objects.filter(known_issue=ki, ticket__status__in=UNFINISHED_STATUSES).values_list(
                "ticket_id", flat=True
            )
        )
        BroadcastDelivery.objects.bulk_create(
            [BroadcastDelivery(broadcast=broadcast, ticket_id=t) for t in ids], ignore_conflicts=True
        )
        transaction.on_commit(lambda: _kick(broadcast.pk))
    return broadcast


def _link_tagged(ki: KnownIssue, by: Any) -> None:
    """Open tickets tagged ``<n>-<name>`` by hand but never linked are affected too: link them (set-based)
    so the resolution reply reaches them as well."""
    tagged = list(
        Ticket.objects.filter(
            tags__name=ki.tag_name, status__in=UNFINISHED_STATUSES, known_issue_link__isnull=True
        ).values_list("id", flat=True)
    )
    if not tagged:
        return
    actor = by if _user(by) else None
    KnownIssueLink.objects.bulk_create(
        [KnownIssueLink(ticket_id=t, known_issue=ki, linked_by=actor) for t in tagged], ignore_conflicts=True
    )
    # Events for the tickets now linked to this issue only (a concurrent link elsewhere wins its ticket).
    tagged = list(
        KnownIssueLink.objects.filter(known_issue=ki, ticket_id__in=tagged).values_list(
            "ticket_id", flat=True
        )
    )
    TicketEvent.objects.bulk_create(
        [
            TicketEvent(
                ticket_id=t,
                actor=actor,
                verb="known_issue_linked",
                data={"known_issue": ki.number, "tag": ki.tag_name, "by_tag": True},
            )
            for t in tagged
        ]
    )


def _kick(broadcast_id: int) -> None:
    from escalation.tasks import run_broadcast_task

    try:
        run_broadcast_task.delay(broadcast_id)
    except Exception:  # broker down: the beat job resumes unfinished broadcasts
        log.warning(
            "could not queue broadcast %s; the periodic run will send it", broadcast_id, exc_info=True
        )


def run_broadcast(broadcast_id: int, *, chunk: int = BROADCAST_CHUNK, max_chunks: int | None = None) -> dict:
    """Send pending deliveries of one broadcast, each ticket in its own transaction.

    A delivery is claimed with ``select_for_update(skip_locked)`` and marked sent in the same transaction
    as the reply, so a crash rolls both back and a concurrent run skips it: every ticket gets exactly one
    reply however often this runs. ``max_chunks`` bounds one run (tests use it to stop half way)."""
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    broadcast = KnownIssueBroadcast.objects.filter(pk=broadcast_id).first()
    if broadcast is None or broadcast.finished_at:
        return counts
    pending = BroadcastDelivery.objects.filter(
        broadcast_id=broadcast_id, state=BroadcastDelivery.State.PENDING
    )
    for done_chunks, ids in enumerate(keyset_chunks(pending, chunk)):
        if max_chunks is not None and done_chunks >= max_chunks:
            break
        for pk in ids:
            counts[_deliver(broadcast, pk)] += 1
    if not BroadcastDelivery.objects.filter(
        broadcast_id=broadcast_id, state=BroadcastDelivery.State.PENDING
    ).exists():
        KnownIssueBroadcast.objects.filter(pk=broadcast_id, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return counts


def _deliver(broadcast: KnownIssueBroadcast, delivery_id: int) -> str:
    try:
        with transaction.atomic():
            delivery = (
                BroadcastDelivery.objects.select_for_update(skip_locked=True)
                .filter(pk=delivery_id, state=BroadcastDelivery.State.PENDING)
                .first()
            )
            if delivery is None:
                return "skipped"  # sent meanwhile, or another worker holds it
            ticket = core.lock(delivery.ticket_id)
            if ticket.status not in UNFINISHED_STATUSES:
                delivery.state, delivery.note = BroadcastDelivery.State.SKIPPED, f"ticket is {ticket.status}"
            elif ticket.tier == Tier.TRIAGE:  # triage first (issue #15 item 14): it is answered after triage
                delivery.state, delivery.note = BroadcastDelivery.State.SKIPPED, "still in triage"
            else:
                status = broadcast.set_status or None
                if status and status != ticket.status and status not in core.TRANSITIONS[ticket.status]:
                    status = None
                message = core.add_reply(ticket, broadcast.created_by, broadcast.body, status=status)
                core.record(
                    ticket,
                    "known_issue_broadcast",
                    None,
                    known_issue=broadcast.known_issue_id,
                    message=message.pk,
                )
                delivery.state, delivery.message = BroadcastDelivery.State.SENT, message
            delivery.done_at = timezone.now()
            delivery.save(update_fields=["state", "message", "note", "done_at"])
            return "sent" if delivery.state == BroadcastDelivery.State.SENT else "skipped"
    except Exception:  # one bad ticket must not stop the others; it stays pending
        log.exception("broadcast %s: delivery %s failed", broadcast.pk, delivery_id)
        return "failed"


def _user(by: Any) -> bool:
    return by is not None and getattr(by, "is_authenticated", False)
