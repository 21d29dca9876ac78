"""The Django admin shows every model but cannot bypass the workflow: lifecycle fields are read-only and
the audit trail is append-only."""

import pytest

from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(admin_user):
    admin_user.is_superuser = True  # as the demo's admin: the Django admin is for superusers
    admin_user.save()
    return admin_user


def test_admin_pages_load_and_lifecycle_fields_are_read_only(client, admin_user, ticket):
    client.force_login(admin_user)
    for url in (
        "/admin/tickets/ticket/",
        f"/admin/tickets/ticket/{ticket.pk}/change/",
        "/admin/tickets/ticketevent/",
        "/admin/tickets/notification/",
        "/admin/tickets/organization/",
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(f"/admin/tickets/ticket/{ticket.pk}/change/").content.decode()
    assert 'name="status"' not in html and 'name="next_action_at"' not in html and 'name="subject"' in html


def test_audit_events_cannot_be_deleted_in_the_admin(client, admin_user, ticket):
    client.force_login(admin_user)
    event = TicketEvent.objects.filter(ticket=ticket).first()
    assert client.post(f"/admin/tickets/ticketevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TicketEvent.objects.filter(pk=event.pk).exists()
