"""The inbound email path's question to this app: is this message a partner's reply to one of our side
conversations? Asked by ``mail/services/processing.py`` before it looks for a ticket, so a partner's
answer never lands in the ticket's conversation or opens a ticket."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .models import SideConversation, SideMessage
from .services import conversation_for_addresses, receive


def conversation_for(thread_ids: list[str], addresses: Sequence[str] = ()) -> SideConversation | None:
    """The side conversation one of ``thread_ids`` (In-Reply-To, References) belongs to, newest first;
    else the one whose ``support+side-…`` reply address the message was sent to."""
    conversation_id = (
        SideMessage.objects.filter(email_message_id__in=thread_ids)
        .order_by("-id")
        .values_list("conversation_id", flat=True)
        .first()
        if thread_ids
        else None
    ) or conversation_for_addresses(list(addresses))
    if conversation_id is None:
        return None
    return (
        SideConversation.objects.select_related("ticket", "ticket__assignee")
        .filter(pk=conversation_id)
        .first()
    )


def take(conversation: SideConversation, row: Any, parsed: Any) -> str:
    """Store the partner's reply on its side conversation; returns the outcome text for the inbound row."""
    receive(
        conversation,
        from_email=row.from_email,
        body=parsed.reply_text or parsed.text,
        message_id=row.email_message_id,
        inbound=row,
    )
    number = conversation.ticket.number
    return f"Partner reply added to the side conversation “{conversation.subject}” on #{number}."


def bounced(message_ids: list[str], summary: str) -> SideConversation | None:
    """A delivery report for our partner mail: the message is marked failed (shown in the panel)."""
    found = (
        SideMessage.objects.filter(email_message_id__in=message_ids, direction=SideMessage.Direction.OUT)
        .select_related("conversation__ticket")
        .first()
        if message_ids
        else None
    )
    if found is None:
        return None
    SideMessage.objects.filter(pk=found.pk).update(
        state=SideMessage.State.FAILED, error=f"Bounced: {summary}"[:2000]
    )
    return found.conversation
