"""What the workspace page shows, built for ``tickets/views/workspace.py``: the context (what the fragment
cache holds is read lazily, so a hit runs none of its queries), the side forms and the reply form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from helpdesk.http import HtmxHttpRequest
from tickets import canned, extensions, fragments, message_files, related, selectors
from tickets.forms import AssigneeForm, PriorityForm, ReplyForm, StatusForm, TagsForm
from tickets.models import CannedResponse, Ticket, Visibility


def _forms(ticket: Ticket, seen_event: int) -> dict[str, Any]:
    """The sidebar's forms, built when the properties are rendered (not when they come from the cache)."""
    v = ticket.version
    return {
        "status_form": SimpleLazyObject(lambda: StatusForm(initial={"status": ticket.status, "version": v})),
        "priority_form": SimpleLazyObject(
            lambda: PriorityForm(initial={"priority": ticket.priority, "version": v})
        ),
        "assignee_form": SimpleLazyObject(
            lambda: AssigneeForm(initial={"assignee": ticket.assignee_id, "version": v})
        ),
        "tags_form": TagsForm(initial={"tags": lambda: ", ".join(t.name for t in ticket.tags.all())}),  # lazy
        "seen_event": seen_event,
    }


def _staff_offered(ticket: Ticket, now: Any) -> Any:
    """What the properties' "Assign to" list offers (cached for a minute by ``filter_choices``): part of
    their key, so a new member of staff shows there as soon as the list has them."""
    return selectors.filter_choices()["staff"]


def _seen(ticket: Ticket, cached: fragments.Fragments | None) -> tuple[Any, int]:
    """The history's newest events (lazy while its fragment is cached) and the newest event id this page
    shows."""
    found = cached.get("seen") if cached else None
    if found is not None:
        return SimpleLazyObject(lambda: selectors.recent_history(ticket)), int(found)
    history = selectors.recent_history(ticket)
    seen = max((e.id for e in history.events), default=0)
    if cached:
        cached.put("seen", str(seen))
    return history, seen


def workspace_context(request: HtmxHttpRequest, ticket: Ticket, **overrides: Any) -> dict[str, Any]:
    """Everything the workspace shows, in a constant number of queries; what the fragment cache holds is
    read lazily (querysets, ``panel_data``), so a hit runs none of its queries. A page with bound forms
    (``overrides``) renders everything afresh."""
    workspace = extensions.current()
    now = timezone.now()
    names = ["properties", "requester", *(panel.template for panel in workspace.panels)]
    fresh = overrides or not settings.WORKSPACE_FRAGMENTS
    steady = ["properties", *(panel.template for panel in workspace.panels if panel.steady)]
    reads = {panel.template: panel.reads for panel in workspace.panels if panel.reads is not None}
    reads["properties"] = (*fragments.PROPERTY_READS, _staff_offered)
    reads["requester"] = fragments.REQUESTER_READS
    alone = [panel.template for panel in workspace.panels if panel.alone]
    anyone = [panel.template for panel in workspace.panels if panel.any_ticket]
    cached = (
        None if fresh else fragments.Fragments(ticket, request.user, now, names, steady, reads, alone, anyone)
    )
    if cached is None or cached.missing(names):
        prefetch_related_objects([ticket], "tags")  # one read of the tags for the properties and panels
    shown = cached is None or cached.missing(["properties"])
    followers = list(ticket.followers.all()) if shown else []
    history, seen = _seen(ticket, cached)
    ctx: dict[str, Any] = {
        "ticket": ticket,
        "fragments": cached,
        "conversation": selectors.conversation(ticket, request.user),
        "history": history,
        "followers": followers,
        "requester_card": SimpleLazyObject(lambda: related.requester_card(ticket)),
        "following": any(f.pk == request.user.pk for f in followers),
        "staff": selectors.filter_choices()["staff"],
        "canned": selectors.canned_responses(),
        "workspace_panels": [panel.template for panel in workspace.panels],
        "panel_data": extensions.PanelData(workspace, request, ticket, overrides),
        "reply_extensions": [extension.template for extension in workspace.reply_extensions],
        "reply_tools": workspace.reply_tools,
        "files_form": message_files.context(),
        "now": now,
        **_forms(ticket, seen),
        **extensions.extension_context(workspace, request, ticket),
    }
    ticket.sla_css, ticket.sla_text = selectors.sla_display(ticket, now)
    extensions.apply_time_left([ticket], now)
    ctx["sla_css"], ctx["sla_text"] = ticket.sla_css, ticket.sla_text
    if "reply_form" not in overrides:
        ctx.update(_reply_form(request, ticket, seen))
    ctx.update(overrides)
    return ctx


def _reply_form(request: HtmxHttpRequest, ticket: Ticket, seen: int) -> dict[str, Any]:
    found: dict[str, Any] = {}
    draft = selectors.draft_for(request.user, ticket)
    initial = {"version": ticket.version, "seen_event": seen, "visibility": Visibility.PUBLIC}
    if draft:
        initial.update(
            body=draft.body, visibility=Visibility.INTERNAL if draft.internal else Visibility.PUBLIC
        )
        found["draft"] = draft
    canned_id = request.GET.get("canned", "")
    if canned_id.isascii() and canned_id.isdigit():  # no-JS fallback of "insert canned response"
        picked = CannedResponse.objects.filter(pk=int(canned_id), is_active=True).first()
        if picked:
            text = canned.render(picked.body, ticket, request.user)
            initial["body"] = f"{initial.get('body', '')}\n\n{text}".strip()
    found["reply_form"] = ReplyForm(initial=initial)
    return found
