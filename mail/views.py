"""Staff screens of the email channel: Inbound problems, one inbound message, Outgoing mail, the
blocklist and (managers) IMAP mailboxes. Thin: reads in selectors, writes in services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from helpdesk.permissions import MANAGER, has_role, role_required, staff_required
from tickets import outbox
from tickets.errors import TicketError

from . import selectors
from .forms import BlockForm, MailboxForm
from .models import InboundEmail, Mailbox
from .services import block_sender, unblock_sender
from .services import problems as problem_services


@staff_required
def problems(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    rows, next_before = selectors.problems(state, request.GET.get("before"))
    return render(request, "mail/problems.html", {"rows": rows, "next_before": next_before, "state": state})


@staff_required
def inbound_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        row = selectors.inbound(pk)
    except InboundEmail.DoesNotExist:
        raise Http404 from None
    return render(request, "mail/inbound.html", {"row": row})


@staff_required
def inbound_raw(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(InboundEmail.objects.only("raw"), pk=pk)
    response = HttpResponse(bytes(row.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="inbound-{pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_POST
def inbound_action(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action")
    handlers = {
        "retry": problem_services.retry,
        "discard": problem_services.discard,
        "allow": problem_services.allow_sender,
    }
    if action not in handlers:
        messages.error(request, "Unknown action.")
        return redirect("mail:inbound", pk=pk)
    try:
        row = handlers[action](pk, request.user)
    except InboundEmail.DoesNotExist:
        raise Http404 from None
    except TicketError as exc:
        messages.error(request, str(exc))
        return redirect("mail:inbound", pk=pk)
    messages.success(request, f"Message {pk}: {row.get_state_display()}. {row.outcome or row.error[:200]}")
    return redirect(request.POST.get("next") or "mail:problems")


@staff_required
def outgoing(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    show = show if show in selectors.OUTGOING_SHOW else ""
    rows, next_before = selectors.outgoing(request.GET.get("before"), show)
    context = {
        "rows": rows,
        "next_before": next_before,
        "show": show,
        "shows": [("", "All"), ("sending", "Sending"), ("retrying", "Retrying"), ("failed", "Failed")],
        "max_attempts": settings.HELPDESK_OUTBOX_MAX_ATTEMPTS,
        "is_manager": has_role(request.user, MANAGER),
    }
    return render(request, "mail/outgoing.html", context)


@role_required(MANAGER)
@require_POST
def outgoing_send_again(request: HttpRequest, pk: int) -> HttpResponse:
    if outbox.send_again(pk):
        messages.success(request, "The email is queued again; it goes out on the next run.")
    else:
        messages.error(request, "Only a failed email can be sent again (this one is not failed any more).")
    return redirect(f"{reverse('mail:outgoing')}?show=failed")


@staff_required
def blocked(request: HttpRequest) -> HttpResponse:
    form = BlockForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row = block_sender(
                    form.cleaned_data["pattern"], request.user, reason=form.cleaned_data["reason"]
                )
            except TicketError as exc:
                form.add_error("pattern", str(exc))
            else:
                messages.success(request, f"Mail from {row.pattern} is now blocked.")
                return redirect("mail:blocked")
        status = 400
    return render(request, "mail/blocked.html", {"form": form, "rows": selectors.blocked()}, status=status)


@staff_required
@require_POST
def unblock(request: HttpRequest) -> HttpResponse:
    pattern = request.POST.get("pattern", "")
    if unblock_sender(pattern, request.user):
        messages.success(request, f"Mail from {pattern} is allowed again.")
    return redirect("mail:blocked")


@role_required(MANAGER)
def mailboxes(request: HttpRequest) -> HttpResponse:
    form = MailboxForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        box = form.save()
        messages.success(request, f"Mailbox {box.name} added; it is polled every minute.")
        return redirect("mail:mailboxes")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "mail/mailboxes.html", {"form": form, "rows": selectors.mailboxes()}, status=status
    )


@role_required(MANAGER)
def mailbox_edit(request: HttpRequest, pk: int) -> HttpResponse:
    box = get_object_or_404(Mailbox, pk=pk)
    form = MailboxForm(request.POST or None, instance=box)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Mailbox {box.name} saved.")
        return redirect("mail:mailboxes")
    status = 400 if request.method == "POST" else 200
    return render(request, "mail/mailbox_edit.html", {"form": form, "box": box}, status=status)
