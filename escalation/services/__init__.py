"""Escalation writes, one module per concern: ``escalate`` (up/down with escalated questions),
``known_issues`` (tracker, links, broadcast), ``oncall`` (rota, shifts, paging), ``routing`` (Engagement,
Product, Marketing). Reads live in ``escalation.selectors``."""
