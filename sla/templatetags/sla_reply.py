from django import template

from sla.commitments import quick_picks

register = template.Library()


@register.simple_tag
def next_update_picks(ticket):
    """The reply form's "next update by" choices (end of day, tomorrow 10:00, in 2 business days)."""
    return quick_picks(ticket)
