"""Satisfaction ratings (issue #18 §6): when a ticket is resolved the requester gets one-click signed
links (good / okay / bad); also offered on the portal. One rating per ticket per requester; a tampered or
foreign link is refused; a bad rating tells the organization's account manager (000 "if the client seems
very upset, we let the account manager know")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tickets import outbox
from tickets.errors import InvalidInput
from tickets.models import Notification

from .models import Rating

SALT = "knowledge.rating"
MAX_COMMENT = 2000


def token_for(ticket: Any, contact: Any) -> str:
    return signing.dumps({"t": ticket.pk, "c": contact.pk}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int]:
    """(ticket id, contact id) of a genuine link; raises InvalidInput on anything else."""
    max_age = settings.HELPDESK_RATING_LINK_DAYS * 86400
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
        return int(data["t"]), int(data["c"])
    except signing.SignatureExpired:
        raise InvalidInput(
            "This rating link has expired. You can still rate from your request's page."
        ) from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidInput("This rating link is not valid. Please use the link from your email.") from None


def rating_url(ticket: Any, contact: Any, score: str) -> str:
    return rating_url_for(token_for(ticket, contact), score)


_TOKEN = "0TOKEN0"  # stands for the signed token in the link templates of a batch


def link_templates() -> dict[str, str]:
    """Each score's rating link with ``_TOKEN`` for the token: reversed once for a whole batch of emails
    (the same URL ``rating_url`` makes, the token put in by ``str.replace``; tokens need no quoting)."""
    return {score: rating_url_for(_TOKEN, score) for score in Rating.Score.values}


def rating_url_for(token: str, score: str) -> str:
    path = reverse("knowledge:rate", args=[token, score])
    return f"{settings.HELPDESK_BASE_URL.rstrip('/')}{path}"


def email_text(ticket: Any, templates: dict[str, str] | None = None) -> str:
    templates = templates or link_templates()
    token = token_for(ticket, ticket.requester)
    lines = [
        f"Your request #{ticket.number} \u201c{ticket.subject}\u201d is resolved.",
        "",
        "How did we do? One click is enough:",
        "",
    ]
    lines += [
        f"  {label}: {templates[score].replace(_TOKEN, token)}" for score, label in Rating.Score.choices
    ]
    lines += ["", "You can add a comment on the page that opens. Thank you!"]
    return "\n".join(lines)


def ask_for_rating(ticket: Any) -> None:
    """``ask_for_rating_many`` for one ticket."""
    ask_for_rating_many([ticket])


def ask_for_rating_many(tickets: Sequence[Any]) -> None:
    """When tickets become Resolved: put the rating links in the email that tells each requester (the
    resolving reply, queued moments ago in this transaction), else send them on their own, once per
    resolution — one read of the pending replies and one INSERT of the asks for the whole batch."""
    tickets = [t for t in tickets if t.requester_id is not None]
    if not tickets:
        return
    replies = _recent_replies(tickets)
    templates = link_templates()
    asks = []
    for ticket in tickets:
        text = email_text(ticket, templates)
        reply = replies.get(ticket.pk)
        if reply is not None and "/rate/" not in reply.body:
            Notification.objects.filter(pk=reply.pk).update(body=f"{reply.body}\n\n-- \n{text}")
            continue
        stamp = ticket.resolved_at.strftime("%Y%m%d%H%M%S%f") if ticket.resolved_at else "0"
        asks.append((ticket, "rating_request", f"rating-ask:{ticket.pk}:{stamp}", text))
    outbox.notify_requesters(asks)


def _recent_replies(tickets: Sequence[Any]) -> dict[int, Notification]:
    """Each ticket's latest reply email to its requester still pending from the last 30 seconds."""
    emails = {t.pk: t.requester.email for t in tickets}
    recent = timezone.now() - dt.timedelta(seconds=30)
    rows = Notification.objects.filter(
        ticket_id__in=list(emails),
        reason="reply",
        state=Notification.State.PENDING,
        recipient_email__in=set(emails.values()),
        created_at__gte=recent,
    ).order_by("-id")
    found: dict[int, Notification] = {}
    for row in rows:
        if row.ticket_id is not None and row.recipient_email == emails[row.ticket_id]:
            found.setdefault(row.ticket_id, row)
    return found


def existing(ticket_id: int, contact_id: int) -> Rating | None:
    return Rating.objects.filter(ticket_id=ticket_id, contact_id=contact_id).first()


def rate(ticket: Any, contact: Any, score: str, comment: str = "") -> tuple[Rating, bool]:
    """Store the rating (created=True) or return the one already given (created=False, nothing changes
    but an empty comment may be filled in)."""
    if score not in Rating.Score.values:
        raise InvalidInput("Choose good, okay or bad.", field="score")
    if ticket.requester_id != contact.pk:
        raise InvalidInput("Only the person who asked can rate this request.")
    if ticket.status not in ("resolved", "closed"):
        raise InvalidInput("You can rate a request once it is resolved.")
    comment = (comment or "").strip()[:MAX_COMMENT]
    found = existing(ticket.pk, contact.pk)
    if found:
        if comment and not found.comment:
            Rating.objects.filter(pk=found.pk).update(comment=comment)
            found.comment = comment
        return found, False
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                ticket=ticket,
                contact=contact,
                score=score,
                comment=comment,
                tier=ticket.tier,
                agent_id=ticket.assignee_id,
                organization_id=ticket.organization_id,
            )
            if score == Rating.Score.BAD:
                _tell_account_manager(ticket, rating)
    except IntegrityError:  # the same link clicked twice at once
        return existing(ticket.pk, contact.pk), False  # type: ignore[return-value]
    return rating, True


def add_comment(rating: Rating, comment: str) -> Rating:
    comment = (comment or "").strip()[:MAX_COMMENT]
    if not comment:
        raise InvalidInput("Write a comment first.", field="comment")
    if rating.comment:
        raise InvalidInput("You already left a comment for this request. Thank you!", field="comment")
    Rating.objects.filter(pk=rating.pk).update(comment=comment)
    rating.comment = comment
    if rating.score == Rating.Score.BAD:
        _tell_account_manager(rating.ticket, rating, again=True)
    return rating


def _tell_account_manager(ticket: Any, rating: Rating, *, again: bool = False) -> None:
    org = ticket.organization
    manager = getattr(org, "account_manager", None) if org is not None else None
    if manager is None:
        return
    body = (
        f"{ticket.requester.name} ({org.name}) rated #{ticket.number} \u201c{ticket.subject}\u201d as bad."
        + (f"\n\nTheir comment: {rating.comment}" if rating.comment else "")
    )
    key = f"rating-bad:{rating.pk}:{'comment' if again else 'rated'}"
    outbox.notify_user(ticket, manager, "bad_rating", key, body, email=True)
