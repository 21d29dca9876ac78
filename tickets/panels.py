"""The workspace panel of merge and spam (issue #16), listed in ``helpdesk/workspace.py``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from . import related
from .models import Ticket


def merge_context(request: HttpRequest, ticket: Ticket) -> dict[str, Any]:
    from .views.merge import MergeForm

    return {
        "duplicates": related.likely_duplicates(ticket) if not ticket.merged_into_id else [],
        "merge_form": MergeForm(initial={"version": ticket.version}),
    }
