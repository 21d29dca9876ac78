"""The public status page and the managers' weekly review list of escalate-down tags."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from escalation import selectors
from helpdesk.permissions import MANAGER, role_required


def status_page(request: HttpRequest) -> HttpResponse:
    """Public, no login: only the post's public title and text, never internal fields."""
    posts = list(selectors.status_posts())
    return render(request, "escalation/status.html", {"posts": posts})


@role_required(MANAGER)
def review(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - dt.timedelta(days=7)
    events = list(selectors.review_events(since)[:500])
    return render(request, "escalation/review.html", {"events": events, "since": since})
