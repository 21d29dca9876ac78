"""The Product list: tickets someone asked Product to be aware of ("Notify Product", 004)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helpdesk.permissions import staff_required
from tickets.models import UNFINISHED_STATUSES, Ticket

from .forms import ProductFilterForm

PAGE = 50
WARN_KINDS = ("bug", "feature_request")


@staff_required
@require_GET
def product_list(request: HttpRequest) -> HttpResponse:
    form = ProductFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {"state": "open", "kind": "", "q": ""}
    qs = Ticket.objects.filter(notify_product=True).select_related("organization", "assignee")
    if data.get("state", "open") != "all":
        qs = qs.filter(status__in=UNFINISHED_STATUSES)
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("q"):
        qs = qs.filter(subject__icontains=data["q"])
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows = list(
        qs.only(
            "id",
            "number",
            "subject",
            "status",
            "kind",
            "priority",
            "updated_at",
            "organization__name",
            "assignee__username",
            "assignee__first_name",
            "assignee__last_name",
        ).order_by("-id")[: PAGE + 1]
    )
    next_cursor = rows[PAGE - 1].id if len(rows) > PAGE else None
    query = request.GET.copy()
    query.pop("before", None)
    ctx = {
        "form": form,
        "rows": rows[:PAGE],
        "next_cursor": next_cursor,
        "query": query.urlencode(),
        "warn_kinds": WARN_KINDS,
    }
    return render(request, "notifications/product_list.html", ctx)
