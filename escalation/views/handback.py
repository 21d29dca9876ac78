"""The last-support-day prompt (002 "reassign your tickets back to the group"): choose a colleague or
let the tickets go back to their tier queues when the grace period ends."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from escalation.services import handback as service
from helpdesk.permissions import staff_required
from tickets.errors import TicketError
from tickets.models import UNFINISHED_STATUSES, Ticket


class HandbackForm(forms.Form):
    colleague = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="Nobody: back to their tier queues",
        label="Hand my unfinished tickets to",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .exclude(pk=user.pk)
            .distinct()
        ).order_by("username")


@staff_required
def handback(request: HttpRequest) -> HttpResponse:
    run = service.pending_prompt(request.user)
    form = HandbackForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            service.choose_colleague(request.user, form.cleaned_data["colleague"])
        except TicketError as exc:
            form.add_error("colleague", str(exc))
            status = 400
        else:
            chosen = form.cleaned_data["colleague"]
            messages.success(
                request,
                f"Your tickets will go to {chosen}." if chosen else "Your tickets go back to their queues.",
            )
            return redirect("escalation:handback")
    elif request.method == "POST":
        status = 400
    context = {
        "run": run,
        "due": dt.datetime.fromisoformat(run.data["due_at"]) if run else None,
        "chosen": get_user_model().objects.filter(pk=run.data.get("colleague")).first() if run else None,
        "form": form,
        "owned": Ticket.objects.filter(assignee=request.user, status__in=UNFINISHED_STATUSES).order_by("id")[
            :50
        ],
    }
    return render(request, "escalation/handback.html", context, status=status)
