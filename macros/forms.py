"""The macro editor's form (staff)."""

from __future__ import annotations

from typing import Any

from django import forms

from escalation.services.routing import ENGAGEMENT_REASONS
from helpdesk.people import staff_users
from tickets import canned
from tickets.models import Priority, Status, Team, Tier

from .models import ASSIGN_ME, Macro

PLACEHOLDER_HELP = (
    "Placeholders: {{ requester.first_name }}, {{ ticket.number }}, {{ ticket.subject }}, "
    "{{ agent.first_name }}, {{ agent.name }} …"
)


def _braced(name: str) -> str:
    return "{{ " + name + " }}"


def _blank(label: str, choices: Any) -> list[tuple[str, str]]:
    return [("", label), *[(str(v), str(lbl)) for v, lbl in choices]]


class MacroForm(forms.Form):
    title = forms.CharField(max_length=120)
    body = forms.CharField(
        label="Public reply",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=PLACEHOLDER_HELP + " Leave empty for no reply.",
    )
    note = forms.CharField(label="Internal note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label="Then set status", required=False)
    hold_days = forms.IntegerField(label="Hold days", required=False, min_value=1, max_value=365)
    priority = forms.ChoiceField(required=False)
    tier = forms.ChoiceField(required=False)
    team_slug = forms.ChoiceField(label="Send to team", required=False)
    send_to_engagement = forms.BooleanField(required=False, label="Send to Engagement")
    engagement_reason = forms.ChoiceField(label="Reason for Engagement", required=False)
    assignee_username = forms.ChoiceField(label="Assign to", required=False)
    add_tags = forms.CharField(max_length=500, required=False, label="Add tags", help_text="Comma separated.")
    personal = forms.BooleanField(required=False, label="Only for me (personal macro)")
    is_active = forms.BooleanField(required=False, initial=True, label="Offer it in the reply box")

    def __init__(self, *args: Any, macro: Macro | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f: dict[str, Any] = dict(self.fields)
        f["status"].choices = _blank("Keep status", Status.choices)
        f["priority"].choices = _blank("Keep priority", Priority.choices)
        f["tier"].choices = _blank("Keep tier", Tier.choices)
        teams = [(t.slug, t.name) for t in Team.objects.order_by("name")]
        if macro is not None and macro.team_slug and macro.team_slug not in dict(teams):
            teams.append((macro.team_slug, f"{macro.team_slug} (deleted team)"))
        f["team_slug"].choices = _blank("Keep team", teams)
        f["engagement_reason"].choices = _blank("No reason given", ENGAGEMENT_REASONS)
        people = [(u.username, u.get_full_name() or u.username) for u in staff_users()]
        f["assignee_username"].choices = _blank("Keep owner", [(ASSIGN_ME, "Whoever applies it"), *people])

    def _placeholders_known(self, name: str) -> str:
        text = self.cleaned_data.get(name, "")
        unknown = sorted(
            {m for m in canned.PLACEHOLDER.findall(text) if canned.ALIASES.get(m, m) not in canned.VALUES}
        )
        if unknown:
            known = ", ".join(_braced(n) for n in canned.placeholder_names())
            raise forms.ValidationError(
                f"Unknown placeholder {', '.join(map(_braced, unknown))}. Known: {known}."
            )
        return text

    def clean_body(self) -> str:
        return self._placeholders_known("body")

    def clean_note(self) -> str:
        return self._placeholders_known("note")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Status.HOLD and not data.get("hold_days") and "hold_days" not in self.errors:
            self.add_error("hold_days", "On hold needs a number of days.")
        if data.get("team_slug") and data.get("send_to_engagement"):
            self.add_error("team_slug", "Choose either a team or Engagement, not both.")
        if data.get("engagement_reason") and not data.get("send_to_engagement"):
            self.add_error("engagement_reason", "A reason only applies when sending to Engagement.")
        does = ("body", "note", "status", "priority", "tier", "team_slug", "send_to_engagement")
        if not any(str(data.get(name) or "").strip() for name in (*does, "assignee_username", "add_tags")):
            self.add_error(
                None, "Give the macro a reply, a note or at least one change: as it is it does nothing."
            )
        return data

    @staticmethod
    def initial_for(macro: Macro) -> dict[str, Any]:
        from .services import MACRO_FIELDS

        return {name: getattr(macro, name) for name in MACRO_FIELDS} | {"personal": not macro.shared}
