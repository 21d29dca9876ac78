"""Managers configure chat webhooks and read the delivery log (failures first to hand)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.permissions import MANAGER, role_required

from . import webhooks
from .forms import WebhookForm
from .models import Webhook, WebhookDelivery

manager_required = role_required(MANAGER)
LOG_PAGE = 50


@manager_required
@require_GET
def webhook_list(request: HttpRequest) -> HttpResponse:
    hooks = Webhook.objects.annotate(
        failed=Count("deliveries", filter=Q(deliveries__state=WebhookDelivery.State.FAILED)),
        waiting=Count("deliveries", filter=Q(deliveries__state=WebhookDelivery.State.PENDING)),
    ).order_by("name", "id")
    return render(request, "notifications/webhooks.html", {"hooks": hooks})


@manager_required
def webhook_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    hook = get_object_or_404(Webhook, pk=pk) if pk else None
    form = WebhookForm(request.POST or None, instance=hook)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if hook is None:
            saved.created_by = request.user
        saved.save()
        messages.success(request, f"Webhook “{saved.name}” saved.")
        return redirect("notifications:webhooks")
    return render(
        request,
        "notifications/webhook_form.html",
        {"form": form, "hook": hook},
        status=400 if form.errors else 200,
    )


@manager_required
@require_GET
def delivery_log(request: HttpRequest) -> HttpResponse:
    qs = WebhookDelivery.objects.select_related("webhook").order_by("-id")
    state = request.GET.get("state", "")
    if state in WebhookDelivery.State.values:
        qs = qs.filter(state=state)
    hook = request.GET.get("webhook", "")
    if hook.isdigit():
        qs = qs.filter(webhook_id=int(hook))
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows = list(qs[: LOG_PAGE + 1])
    next_cursor = rows[LOG_PAGE - 1].id if len(rows) > LOG_PAGE else None
    ctx = {
        "rows": rows[:LOG_PAGE],
        "next_cursor": next_cursor,
        "state": state,
        "webhook": hook,
        "states": WebhookDelivery.State.choices,
        "hooks": Webhook.objects.order_by("name").only("id", "name"),
    }
    return render(request, "notifications/deliveries.html", ctx)


@manager_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    webhooks.retry(delivery)
    messages.success(request, "The delivery will be tried again.")
    return redirect("notifications:deliveries")
