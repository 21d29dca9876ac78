"""Manager screens (issue #7): the SLA dashboard, its CSV exports and the weekly handover report.
Thin views: parse input (bad input → the default view, a clear message and HTTP 400), call the
``reports`` selectors, render. HTMX refreshes get only the live panels."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from escalation.selectors import review_tags
from helpdesk.permissions import MANAGER, role_required
from playbook import params
from tickets import fragments
from tickets.models import Priority, Team, Tier
from tickets.select_options import options, with_selected

from . import charts, patterns, percentiles, selectors
from .csv_export import DASHBOARD_TABLES, HANDOVER_TABLES, to_csv
from .filters import DashboardFilters, parse_filters, parse_week, week_of
from .handover import handover as build_handover

manager_required = role_required(MANAGER)


def queue_link(tier: str, band: str, filters: DashboardFilters | None = None) -> str:
    """Click-through from a band count to the tier's queue filtered by band (``/queues/<tier>/?band=``) and
    by the dashboard's organization and priority; triage counts go to the triage queue (band only). Empty
    when that screen is not installed."""
    params = {"band": band}
    if filters is not None and tier != "triage":
        if filters.organization_id:
            params["org"] = str(filters.organization_id)
        if filters.priority:
            params["priority"] = filters.priority
    query = urlencode(params)
    try:
        if tier == "triage":
            return f"{reverse('triage:queue')}?{query}"
        return f"{reverse('tickets:queue', kwargs={'key': tier})}?{query}"
    except NoReverseMatch:
        return ""


PARTS = ("page", "live")


def _live_context(filters: DashboardFilters, now: Any) -> dict[str, Any]:
    tiers = selectors.open_by_tier(filters, now)
    for row in tiers:
        row.links = {band: queue_link(row.tier, band, filters) for band in selectors.BANDS}  # type: ignore[attr-defined]
    labels = [r.label for r in tiers]
    return {
        "tiers": tiers,
        "bands_chart": charts.stacked_bar_chart(
            "Open tickets per tier by SLA band",
            labels,
            [(b.title(), b, [getattr(r, b) for r in tiers]) for b in selectors.BANDS],
        ),
        "age_buckets": selectors.AGE_BUCKETS,
        "backlog_chart": charts.bar_chart(
            "Open tickets by age",
            [label for _k, label, *_ in selectors.AGE_BUCKETS],
            [sum(r.ages[k] for r in tiers) for k, *_ in selectors.AGE_BUCKETS],
        ),
        "load": selectors.agent_load(filters),
        "wip_limit": params.get("wip_limit"),
        "commitments": selectors.broken_commitments(filters),
        "commitment_record": selectors.commitment_record(filters),
    }


def _dashboard_context(filters: DashboardFilters, now: Any) -> dict[str, Any]:
    weeks = selectors.compliance_trend(filters, now)
    week_labels = [w.week.strftime("%d %b") for w in weeks]
    tier_values = [str(t) for t in Tier]
    times, approximate = percentiles.response_times(filters)
    first, done = params.get("first_response_targets"), params.get("resolution_targets")
    for row in times:  # the playbook's per-priority targets next to the measured times
        row.first_target, row.resolution_target = first.get(row.priority), done.get(row.priority)
        median_first = (row.first_response or {}).get("p50")
        median_done = (row.resolution or {}).get("p50")
        row.first_over = median_first is not None and median_first > row.first_target * 3600
        row.resolution_over = median_done is not None and median_done > row.resolution_target * 3600
    return {
        **_live_context(filters, now),
        "weeks": weeks,
        # Same order (TIER_ORDER) as WeekCompliance.tier_cells, the table columns.
        "trend_tiers": [(t, selectors.tier_label(t)) for t in tier_values],
        "compliance_chart": charts.stacked_bar_chart(
            "SLA clocks stopped per week by final band",
            week_labels,
            [(b.title(), b, [getattr(w, b) for w in weeks]) for b in selectors.FINAL_BANDS],
        ),
        "trend_chart": charts.line_chart(
            "Share of tier visits finished green, per tier and week",
            week_labels,
            [
                (selectors.tier_label(t), [w.tier_green_share(t) for w in weeks])
                for t in tier_values
                if any(t in w.by_tier for w in weeks)
            ],
        ),
        "times": times,
        "times_approximate": approximate,
        "sample_limit": percentiles.SAMPLE_LIMIT,
        "breaches": selectors.breaches_this_week(filters, now),
        "review": selectors.review_tagged(now - dt.timedelta(days=7), limit=selectors.LIST_LIMIT),
        "patterns": patterns.patterns(filters, now),
        "engagement": selectors.engagement_reasons(filters, now),
        "review_tag_names": review_tags(),
        **_filter_options(filters),
    }


def _filter_options(filters: DashboardFilters) -> dict[str, Any]:
    """The filter bar's <select> options, joined in Python (a template loop over 500 organizations cost
    more than most panels' queries); the organization list is kept a few seconds (``selectors``)."""
    return {
        "organization_options": with_selected(selectors.organization_options(), filters.organization_id),
        "team_options": options(Team.objects.order_by("name").values_list("id", "name"), filters.team_id),
        "priority_options": options(Priority.choices, filters.priority),
        "tier_options": options(Tier.choices, filters.tier),
    }


@manager_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    filters, errors = parse_filters(request.GET)
    now = timezone.now()
    context = {"filters": filters, "errors": errors, "query": filters.querystring(), "now": now}
    status = 400 if errors else 200
    # The panels kept rendered for the minute, until the next ticket event (tickets/fragments.py).
    fresh = errors or not settings.WORKSPACE_FRAGMENTS
    cached = None if fresh else fragments.SharedFragments(f"dashboard:{filters.querystring()}", now, PARTS)
    context["fragments"] = cached
    if getattr(request, "htmx", False):
        if cached is None or cached.missing(["live"]):
            context.update(_live_context(filters, now))
        return fragments.render_page(request, "reports/partials/_live.html", context, status=status)
    if cached is None or cached.missing(["page"]):
        context.update(_dashboard_context(filters, now))
    return fragments.render_page(request, "reports/dashboard.html", context, status=status)


def _csv_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")


@manager_required
@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("table", "bands")
    if name not in DASHBOARD_TABLES:
        return _bad_request(f"Unknown table {name[:40]!r}; use one of {', '.join(DASHBOARD_TABLES)}.")
    filters, errors = parse_filters(request.GET)
    if errors:
        return _bad_request(" ".join(errors))
    loader, shape = DASHBOARD_TABLES[name]
    body = to_csv(shape(loader(filters, timezone.now())))
    return _csv_response(body, f"dashboard-{name}-{filters.date_from}-{filters.date_to}.csv")


@manager_required
@require_GET
def handover(request: HttpRequest) -> HttpResponse:
    week = parse_week(request.GET.get("week"))
    report = build_handover(week)
    this_week = week_of(timezone.localdate())
    context = {
        "report": report,
        "week": week,
        "errors": week.errors,
        "previous": week.shifted(-1),
        "next": week.shifted(1) if week.monday < this_week.monday else None,
        "tables": list(HANDOVER_TABLES),
    }
    return render(request, "reports/handover.html", context, status=400 if week.errors else 200)


@manager_required
@require_GET
def handover_csv(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("table", "open")
    if name not in HANDOVER_TABLES:
        return _bad_request(f"Unknown table {name[:40]!r}; use one of {', '.join(HANDOVER_TABLES)}.")
    week = parse_week(request.GET.get("week"))
    if week.errors:
        return _bad_request(" ".join(week.errors))
    loader, shape = HANDOVER_TABLES[name]
    return _csv_response(to_csv(shape(loader(week))), f"handover-{week.label}-{name}.csv")
