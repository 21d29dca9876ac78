"""Merge (issue #16; 004 "Is this a duplicate request? … Merge with the existing request"): one or more
source tickets fold into a target. The target shows the whole history, the sources close "merged into #n"
and a requester writing to a source lands on the target (``conversation.add_requester_reply``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from helpdesk.permissions import MANAGER, has_role
from tickets import fragments, outbox, signals
from tickets.errors import InvalidInput
from tickets.models import Message, MessageKind, Status, Ticket, Visibility

from .core import lock, record, save_fields
from .status import schedule_timer


class CrossOrganization(InvalidInput):
    """The tickets belong to different organizations: only a manager who confirms may merge them."""


def check_merge(source: Ticket, target: Ticket, by: Any, *, confirm_cross_org: bool = False) -> None:
    """Why ``source`` may not be merged into ``target`` (raises), on rows the caller has locked."""
    if source.pk == target.pk:
        raise InvalidInput("A ticket cannot be merged into itself.", field="into")
    if source.merged_into_id:
        raise InvalidInput(f"#{source.number} was already merged into another ticket.", field="into")
    if target.merged_into_id:
        raise InvalidInput(
            f"#{target.number} was itself merged into another ticket; merge into that one.", field="into"
        )
    if target.spam_at is not None:
        raise InvalidInput(f"#{target.number} is marked as spam.", field="into")
    if target.status == Status.CLOSED:
        raise InvalidInput(f"#{target.number} is closed; reopen it first or choose another.", field="into")
    if source.organization_id != target.organization_id:
        theirs = source.organization.name if source.organization else "no organization"
        ours = target.organization.name if target.organization else "no organization"
        if not has_role(by, MANAGER):
            raise CrossOrganization(
                f"#{source.number} belongs to {theirs} and #{target.number} to {ours}: only a manager "
                "can merge tickets of different organizations.",
                field="into",
            )
        if not confirm_cross_org:
            raise CrossOrganization(
                f"#{source.number} belongs to {theirs} and #{target.number} to {ours}. Tick "
                "“merge across organizations” to confirm.",
                field="into",
            )


def merge(
    source: Ticket,
    target: Ticket,
    by: Any,
    *,
    expected_version: int | None = None,
    notify_requesters: bool = False,
    confirm_cross_org: bool = False,
) -> Ticket:
    """1. lock both rows (lower id first: two merges never deadlock), the source with its version;
    2. refuse self-merge, a merged/closed/spam target, other organizations unless a manager confirms;
    3. move the source's messages (their files come with them) to the target; unite tags, followers and
    CCs (the source's requester becomes a CC, so their replies are accepted there);
    4. close the source "merged into #n" with a system note; 5. one event on each ticket;
    6. optionally tell the source's requester. Returns the target."""
    if source.pk == target.pk:
        raise InvalidInput("A ticket cannot be merged into itself.", field="into")
    now = timezone.now()
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])
        locked = {first: lock(first), second: lock(second)}
        src, tgt = locked[source.pk], locked[target.pk]
        if expected_version is not None and int(expected_version) != src.version:
            from tickets.errors import StaleTicket

            raise StaleTicket()
        check_merge(src, tgt, by, confirm_cross_org=confirm_cross_org)
        moved = Message.objects.filter(ticket=src).update(ticket=tgt)
        fragments.messages_written([src.pk, tgt.pk])
        _unite(src, tgt)
        old = src.status
        src.merged_into = tgt
        src.status, src.status_changed_at, src.closed_at = Status.CLOSED, now, now
        src.hold_days = None
        schedule_timer(src, now)
        save_fields(
            src, "merged_into", "status", "status_changed_at", "closed_at", "hold_days", "next_action",
            "next_action_at",
        )  # fmt: skip
        Message.objects.create(
            ticket=src,
            visibility=Visibility.INTERNAL,
            kind=MessageKind.SYSTEM,
            body=f"Merged into #{tgt.number}: the conversation continues there.",
        )
        record(src, "merged_into", by, target=tgt.number, messages=moved, old_status=old)
        if old != Status.CLOSED:  # the SLA clock and timers stop as for any close
            signals.status_changed_many.send(
                Ticket, tickets=[src], olds=[old], at=now, by=by, new=Status.CLOSED
            )
        save_fields(tgt)
        record(tgt, "merged", by, source=src.number, messages=moved)
        if notify_requesters:
            outbox.notify_requester(
                src,
                "merged",
                f"merged:{src.pk}:{tgt.pk}",
                f"Hi {src.requester.name},\n\nWe are handling your request #{src.number} “{src.subject}” "
                f"together with #{tgt.number} “{tgt.subject}”, so you will hear from us there. A reply to "
                "either still reaches us.\n\n— The support team",
            )
    return tgt


def _unite(src: Ticket, tgt: Ticket) -> None:
    """Tags, followers and CCs of the source on the target too (a handful of set-based writes)."""
    tgt.tags.add(*src.tags.all())
    tgt.followers.add(*src.followers.all())
    ccs = list(src.cc_contacts.exclude(pk=tgt.requester_id))
    if src.requester_id != tgt.requester_id:
        ccs.append(src.requester)
    if ccs:
        tgt.cc_contacts.add(*ccs)
