"""Authorised requesters (000/001: "ensure that we only accept change requests from people who are
authorised"). A change request from a contact who is not authorised cannot be approved until an
authorised contact of the same organization confirms it, or a manager overrides with a reason."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from helpdesk.permissions import MANAGER, has_role
from playbook import params
from tickets import outbox
from tickets import services as ticket_services
from tickets.errors import InvalidInput
from tickets.models import Contact, Kind, Ticket, TicketEvent

from .models import AuthorisationRequest, new_token

OVERRIDE_VERB = "authorisation_overridden"


def needs_authorisation(ticket: Ticket) -> bool:
    """A change request whose requester is not an authorised contact."""
    return ticket.kind == Kind.CHANGE_REQUEST and not ticket.requester.is_authorised


def is_unlocked(ticket: Ticket) -> bool:
    """An authorised contact confirmed, or a manager overrode."""
    return (
        AuthorisationRequest.objects.filter(ticket=ticket, confirmed_at__isnull=False).exists()
        or TicketEvent.objects.filter(ticket=ticket, verb=OVERRIDE_VERB).exists()
    )


def approval_blocked_reason(ticket: Ticket) -> str:
    """Why the ticket cannot be approved yet ("" when it can)."""
    if not needs_authorisation(ticket) or is_unlocked(ticket):
        return ""
    return (
        f"{ticket.requester.name} is not an authorised contact of "
        f"{ticket.organization.name if ticket.organization else 'their organization'}: an authorised contact "
        "must confirm this change request (or a manager override it) before it can be approved."
    )


def link_days() -> int:
    return params.get("authorisation_link_days")


def is_expired(request: AuthorisationRequest, now: Any = None) -> bool:
    return request.created_at < (now or timezone.now()) - dt.timedelta(days=link_days())


def _link_id(request: AuthorisationRequest) -> str:
    """Tells one link of a request from the next (for the outbox's exactly-once key) without the secret."""
    return hashlib.sha256(request.token.encode()).hexdigest()[:16]


def confirmation_link(request: AuthorisationRequest) -> str:
    path = reverse("triage:authorise", args=[request.token])
    return f"{settings.HELPDESK_BASE_URL.rstrip('/')}{path}"


def request_authorisation(*, ticket: Ticket, actor: Any, contact: Contact) -> AuthorisationRequest:
    """Ask an authorised contact of the ticket's organization to confirm the change request (one email;
    asking the same contact again while the request is open returns the open request)."""
    if not needs_authorisation(ticket):
        raise InvalidInput("This ticket does not need an authorised contact's confirmation.", field="contact")
    if not contact.is_authorised or contact.organization_id != ticket.organization_id:
        raise InvalidInput(
            f"{contact.name} is not an authorised contact of this organization.", field="contact"
        )
    with transaction.atomic():
        locked = ticket_services.lock(ticket)
        existing = AuthorisationRequest.objects.filter(
            ticket=locked, requested_from=contact, confirmed_at__isnull=True, declined_at__isnull=True
        ).first()
        if existing is not None and not is_expired(existing):
            return existing
        if existing is not None:  # the old link expired: the same open request gets a new link
            existing.token, existing.created_at, existing.requested_by = new_token(), timezone.now(), actor
            existing.save(update_fields=["token", "created_at", "requested_by"])
            req = existing
        else:
            req = AuthorisationRequest.objects.create(
                ticket=locked, requested_from=contact, requested_by=actor
            )
        ticket_services.record(locked, "authorisation_requested", actor, contact=contact.pk, request=req.pk)
        ticket_services.add_note(
            locked,
            actor,
            f"Asked {contact.name} (authorised contact) to confirm this "
            "change request before it is approved.",
        )
        body = (
            f"Hello {contact.name},\n\n{locked.requester.name} asked us to make a change for "
            f"{locked.organization.name}: “{locked.subject}”.\nWe only act on change requests from "
            f"authorised contacts. Please confirm or decline it here:\n{confirmation_link(req)}\n\n"
            "The support team"
        )
        outbox.notify_email(
            locked,
            contact.email,
            "authorisation_request",
            f"authorisation_request:{req.pk}:{_link_id(req)}",
            f"Please confirm: {locked.subject}",
            body,
        )
    return req


def respond_to_authorisation(*, token: str, confirm: bool) -> AuthorisationRequest:
    """The authorised contact confirms (or declines) through the link; answering twice changes nothing."""
    req = AuthorisationRequest.objects.select_related("requested_from").filter(token=token).first()
    if req is None:
        raise InvalidInput("This confirmation link is not valid.", field="token")
    with transaction.atomic():
        locked = ticket_services.lock(req.ticket_id)
        req = AuthorisationRequest.objects.select_for_update().select_related("requested_from").get(pk=req.pk)
        if not req.is_open:
            return req
        if is_expired(req):
            raise InvalidInput(
                f"This confirmation link has expired (links are valid for {link_days()} days). Ask "
                "the support team to send a new one.",
                field="token",
            )
        contact = req.requested_from
        if not contact.is_authorised or contact.organization_id != locked.organization_id:
            raise InvalidInput(
                "You are no longer an authorised contact for this organization.", field="token"
            )
        now = timezone.now()
        if confirm:
            req.confirmed_at, req.confirmed_by = now, contact
            verb, text = (
                "authorisation_confirmed",
                f"{contact.name} (authorised contact) confirmed this change request.",
            )
        else:
            req.declined_at = now
            verb, text = (
                "authorisation_declined",
                f"{contact.name} (authorised contact) declined this change request.",
            )
        req.save(update_fields=["confirmed_at", "confirmed_by", "declined_at"])
        ticket_services.record(locked, verb, None, contact=contact.pk, request=req.pk)
        ticket_services.add_system_note(locked, text)
        if req.requested_by is not None:
            outbox.notify_user(locked, req.requested_by, verb, f"{verb}:{req.pk}", text)
    return req


def override_authorisation(*, ticket: Ticket, actor: Any, reason: str) -> Ticket:
    """A manager unlocks approval without a confirmation; the reason is kept as an event and a note."""
    if not has_role(actor, MANAGER):
        raise InvalidInput("Only a manager can override the authorised-contact rule.", field="reason")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for overriding the authorised-contact rule.", field="reason")
    if not needs_authorisation(ticket):
        raise InvalidInput("This ticket does not need an authorised contact's confirmation.", field="reason")
    with transaction.atomic():
        locked = ticket_services.lock(ticket)
        ticket_services.record(locked, OVERRIDE_VERB, actor, reason=reason)
        ticket_services.add_note(locked, actor, f"Authorised-contact rule overridden by a manager: {reason}")
    return locked
