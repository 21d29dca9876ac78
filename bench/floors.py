"""Bare floors: one hand-written SQL query per screen returning the same rows, rendered as a minimal HTML
table by string joining — no ORM, no templates. Served through the same middleware stack (session,
auth, CSRF, messages) as the real screens, so the ratio measures what our code adds."""

from __future__ import annotations

from html import escape
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

UNFINISHED = "('open','review','pending','waiting','hold')"
ROW = """SELECT t.number, t.subject, t.status, t.priority, t.tier, t.updated_at, t.sla_yellow_until,
                c.name, o.name, u.username
         FROM tickets_ticket t JOIN tickets_contact c ON c.id = t.requester_id
         LEFT JOIN tickets_organization o ON o.id = t.organization_id
         LEFT JOIN auth_user u ON u.id = t.assignee_id"""
FTS = (
    "(to_tsvector('english'::regconfig, COALESCE(t.subject, '')) @@ "
    "websearch_to_tsquery('english'::regconfig, %(q)s) OR t.id IN (SELECT ticket_id FROM tickets_message "
    "WHERE to_tsvector('english'::regconfig, "
    "COALESCE(body, '')) @@ websearch_to_tsquery('english'::regconfig, %(q)s)))"
)

QUERIES: dict[str, list[str]] = {
    "queue": [
        f"{ROW} WHERE t.tier = 't1' AND t.status IN {UNFINISHED} "
        "ORDER BY t.sla_yellow_until ASC NULLS LAST, t.id ASC LIMIT 51"
    ],
    "queue_filtered": [
        f"{ROW} WHERE t.tier = 't1' AND t.status IN {UNFINISHED} AND t.priority = 'high' "
        "ORDER BY t.updated_at DESC, t.id DESC LIMIT 51"
    ],
    "queue_deep_t1": [
        f"{ROW} WHERE t.tier = 't1' AND t.status IN {UNFINISHED} AND t.id < %(after)s "
        "ORDER BY t.id DESC LIMIT 51"
    ],
    "queue_deep": [f"{ROW} WHERE t.status IN {UNFINISHED} AND t.id < %(after)s ORDER BY t.id DESC LIMIT 51"],
    "search": [
        f"{ROW} WHERE t.status IN {UNFINISHED} AND {FTS} "
        "ORDER BY t.sla_yellow_until ASC NULLS LAST, t.id ASC LIMIT 51"
    ],
    "my_work": [f"{ROW} WHERE t.assignee_id = %(user)s AND t.status IN {UNFINISHED} ORDER BY t.id LIMIT 200"],
    "workspace": [
        f"{ROW} WHERE t.number = %(number)s",
        "SELECT m.id, m.body, m.visibility, m.created_at FROM tickets_message m "
        "WHERE m.ticket_id = (SELECT id FROM tickets_ticket WHERE number = %(number)s) "
        "ORDER BY m.created_at, m.id",
        "SELECT e.verb, e.at FROM tickets_ticketevent e "
        "WHERE e.ticket_id = (SELECT id FROM tickets_ticket WHERE number = %(number)s) ORDER BY e.at, e.id",
    ],
    "api_list": [f"{ROW} WHERE t.tier = 't1' ORDER BY t.id DESC LIMIT 51"],
}


def floor_view(request: HttpRequest, name: str) -> HttpResponse:
    """The floor on the same connection as the screens (its statements prepared like theirs, with the
    shipped ``DB_PREPARE_THRESHOLD``); ``?planned=1``: planned on every run, as the floors of the passes
    before prepared statements were (``bench/run.py`` prints both)."""
    params: dict[str, Any] = dict(request.GET.items())
    planned = params.pop("planned", "") == "1"
    params.setdefault("user", request.user.pk)
    out = ["<table>"]
    with connection.cursor() as cur:
        for sql in QUERIES[name]:
            if planned and connection.vendor == "postgresql":
                cur.cursor.execute(sql, params, prepare=False)
            else:
                cur.execute(sql, params)
            for row in cur.fetchall():
                out.append("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>")
    out.append("</table>")
    return HttpResponse("".join(out))
