"""Bulk actions (issue #16): the shape of one action of the queues' bulk bar and the core actions.

A :class:`BulkAction` is ``(key, label, form, apply)``: ``form`` (optional) holds the bar's fields for
the action, validated once for all rows; ``apply(ticket, by, params, expected_version)`` changes one
ticket through the same service a single change uses, raising :class:`~tickets.errors.TicketError` to
skip the row (nothing is stored for it). ``tickets.services.bulk.run_bulk`` runs an action on the picked
rows. ``helpdesk/workspace.py`` lists the actions the bar offers (other apps add theirs there, e.g. the
macros app's "apply macro")."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django import forms

from helpdesk.permissions import AGENT, TRIAGE_LEAD, has_role

from . import services
from .errors import InvalidInput
from .models import Priority, Status, Ticket
from .queues import QUEUE_TIERS
from .services import agent as agent_services
from .services import merge as merge_services
from .services import spam as spam_services

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class BulkApply(Protocol):
    """Change one ticket; returns False when it was already as asked (counted as unchanged)."""

    def __call__(
        self, ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None
    ) -> bool | None: ...


@dataclass(frozen=True)
class BulkAction:
    key: str
    label: str
    apply: BulkApply
    form: type[forms.Form] | None = None
    # The lowest role that may run it at all (the bar hides it below that role).
    minimum_role: str = AGENT
    # Whether it may touch tickets still waiting for triage (and only for triage leads and up).
    in_triage: bool = False
    # Whether it acts on tickets marked as spam (only "Not spam" does).
    on_spam: bool = False
    # Extra check per ticket: a reason the person may not change it, or None.
    forbid: Callable[[User, Ticket], str | None] | None = None

    def allowed_for(self, user: Any) -> bool:
        return has_role(user, self.minimum_role)


# --- the bar's fields ---------------------------------------------------------------------------------


def _staff_choices() -> list[tuple[str, str]]:
    from .selectors import filter_choices

    return [("", "Nobody (unassign)"), *((str(pk), name) for pk, name in filter_choices()["staff"])]


class AssignParams(forms.Form):
    assignee = forms.ChoiceField(required=False, label="Assign to")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _staff_choices()

    def clean_assignee(self) -> Any:
        from helpdesk.people import staff_users

        value = self.cleaned_data.get("assignee")
        if not value:
            return None
        found = staff_users().filter(pk=int(value)).first()
        if found is None:
            raise forms.ValidationError("Choose a member of staff.")
        return found


class StatusParams(forms.Form):
    status = forms.ChoiceField(choices=Status.choices, label="Status")
    hold_days = forms.IntegerField(required=False, min_value=1, max_value=365, label="Hold days")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.HOLD and not data.get("hold_days"):
            self.add_error("hold_days", "On hold needs a number of days (1–365).")
        return data


class PriorityParams(forms.Form):
    priority = forms.ChoiceField(choices=Priority.choices, label="Priority")


class TierParams(forms.Form):
    tier = forms.ChoiceField(choices=[(t.value, t.label) for t in QUEUE_TIERS], label="Tier")


class TagsParams(forms.Form):
    add = forms.CharField(required=False, label="Add tags", help_text="comma separated")
    remove = forms.CharField(required=False, label="Remove tags")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["add"] = [t.strip() for t in (data.get("add") or "").split(",") if t.strip()]
        data["remove"] = {t.strip() for t in (data.get("remove") or "").split(",") if t.strip()}
        if not data["add"] and not data["remove"]:
            raise forms.ValidationError("Name a tag to add or to remove.")
        return data


class MergeParams(forms.Form):
    into = forms.IntegerField(min_value=1, label="Merge into #", error_messages={"required": "Which ticket?"})
    notify = forms.BooleanField(required=False, label="Tell the requesters")
    confirm_cross_org = forms.BooleanField(required=False, label="Merge across organizations (managers)")

    def clean_into(self) -> Ticket:
        number = self.cleaned_data["into"]
        target = Ticket.objects.select_related("organization").filter(number=number).first()
        if target is None:
            raise forms.ValidationError(f"There is no ticket #{number}.")
        return target


# --- the actions ----------------------------------------------------------------------------------------


def _assign(ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None) -> bool:
    if ticket.assignee_id == getattr(params["assignee"], "pk", None):
        return False
    services.update_ticket(ticket, by, expected_version=expected_version, assignee=params["assignee"])
    return True


def _take(ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None) -> bool:
    if ticket.assignee_id == by.pk:
        return False
    agent_services.take_approved(ticket, by, expected_version=expected_version)
    return True


def _status(ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None) -> bool:
    if ticket.status == params["status"]:
        return False
    services.change_status(
        ticket, params["status"], by=by, hold_days=params.get("hold_days"), expected_version=expected_version
    )
    return True


def _priority(ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None) -> bool:
    agent_services.review_priority(ticket, by, params["priority"], expected_version=expected_version)
    return ticket.priority != params["priority"]


def _tier(ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None) -> bool:
    if ticket.tier == params["tier"]:
        return False
    services.update_ticket(ticket, by, expected_version=expected_version, tier=params["tier"])
    return True


def _tags(ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None) -> bool:
    current = [t.name for t in ticket.tags.all()]
    wanted = [n for n in [*current, *params["add"]] if n not in params["remove"]]
    if set(wanted) == set(current):
        return False
    services.set_tags(ticket, by, wanted, expected_version=expected_version)
    return True


def _merge(ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None) -> bool:
    target: Ticket = params["into"]
    if target.pk == ticket.pk:
        return False  # the target among the picked rows stays as it is
    merge_services.merge(
        ticket,
        target,
        by,
        expected_version=expected_version,
        notify_requesters=params.get("notify", False),
        confirm_cross_org=params.get("confirm_cross_org", False),
    )
    return True


def _spam(ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None) -> bool:
    spam_services.mark_spam(ticket, by, expected_version=expected_version)
    return True


def _not_spam(ticket: Ticket, by: User, params: Mapping[str, Any], expected_version: int | None) -> bool:
    if ticket.spam_at is None:
        return False
    spam_services.not_spam(ticket, by, expected_version=expected_version)
    return True


ASSIGN = BulkAction("assign", "Assign", _assign, AssignParams, in_triage=True)
TAKE = BulkAction("take", "Take", _take, in_triage=False)
STATUS = BulkAction("status", "Set status", _status, StatusParams)
PRIORITY = BulkAction("priority", "Set priority", _priority, PriorityParams, in_triage=True)
TIER = BulkAction("tier", "Move to tier", _tier, TierParams)
TAGS = BulkAction("tags", "Tags", _tags, TagsParams, in_triage=True)
MERGE = BulkAction("merge", "Merge", _merge, MergeParams, in_triage=True)
SPAM = BulkAction("spam", "Mark as spam", _spam, in_triage=True)
NOT_SPAM = BulkAction("not_spam", "Not spam", _not_spam, in_triage=True, on_spam=True)

# Actions that only make sense from the Spam list.
SPAM_LIST_KEYS = frozenset({"not_spam"})


def triage_gate(user: Any) -> bool:
    """Whether the person may act in bulk on tickets still waiting for triage."""
    return has_role(user, TRIAGE_LEAD)


def require(action: BulkAction | None) -> BulkAction:
    if action is None:
        raise InvalidInput("Choose an action.", field="action")
    return action
