"""Satisfaction: the one-click signed link from the resolved email, and the portal's rating form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.permissions import visible_tickets
from tickets.errors import TicketError
from tickets.models import Contact, Ticket

from . import ratings
from .forms import CommentForm, RatingForm
from .models import Rating


@require_http_methods(["GET", "POST"])
def rate_link(request: HttpRequest, token: str, score: str) -> HttpResponse:
    """GET records the rating (one click); POST adds the optional comment. Reuse changes nothing."""
    try:
        ticket_id, contact_id = ratings.read_token(token)
        ticket = Ticket.objects.select_related("requester", "organization").get(pk=ticket_id)
        contact = Contact.objects.get(pk=contact_id)
        if request.method == "POST":
            rating = ratings.existing(ticket.pk, contact.pk)
            if rating is None:
                rating, created = ratings.rate(ticket, contact, score)
            form = CommentForm(request.POST)
            if form.is_valid():
                ratings.add_comment(rating, form.cleaned_data["comment"])
                return render(
                    request, "knowledge/rated.html", {"rating": rating, "ticket": ticket, "thanked": True}
                )
            return render(
                request,
                "knowledge/rated.html",
                {"rating": rating, "ticket": ticket, "form": form},
                status=400,
            )
        rating, created = ratings.rate(ticket, contact, score)
    except (Ticket.DoesNotExist, Contact.DoesNotExist):
        return render(
            request, "knowledge/rated.html", {"error": "This rating link is not valid."}, status=400
        )
    except TicketError as exc:
        return render(request, "knowledge/rated.html", {"error": str(exc)}, status=400)
    context = {"rating": rating, "ticket": ticket, "created": created, "form": CommentForm(), "token": token}
    return render(request, "knowledge/rated.html", context)


@login_required
@require_POST
def portal_rate(request: HttpRequest, number: int) -> HttpResponse:
    ticket = get_object_or_404(visible_tickets(request.user), number=number)
    contact = getattr(request.user, "contact", None)
    form = RatingForm(request.POST)
    if contact is None or not form.is_valid():
        messages.error(request, "Choose good, okay or bad.")
        return redirect(ticket)
    try:
        rating, created = ratings.rate(
            ticket, contact, form.cleaned_data["score"], form.cleaned_data["comment"]
        )
    except TicketError as exc:
        messages.error(request, str(exc))
        return redirect(ticket)
    label = Rating.Score(rating.score).label.lower()
    messages.success(
        request,
        f"Thank you — you rated this request {label}."
        if created
        else "You already rated this request. Thank you!",
    )
    return redirect(ticket)
