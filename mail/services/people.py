"""People from addresses: contacts, their organization by email domain, the ticket's CC contacts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from helpdesk.permissions import is_staff_member
from tickets.mailing import contact_for, organization_for, support_address
from tickets.models import Contact, Ticket

MAX_CCS = 500
__all__ = ["contact_for", "organization_for", "cc_contacts", "may_write_to", "update_ccs", "is_ours"]


def our_domains() -> set[str]:
    domains = {support_address().rpartition("@")[2]}
    domains |= {d.lower() for d in getattr(settings, "HELPDESK_MAIL_DOMAINS", [])}
    from mail.models import Mailbox

    domains |= {
        a.rpartition("@")[2].lower()
        for a in Mailbox.objects.exclude(address="").values_list("address", flat=True)
    }
    return domains


def is_ours(address: str, domains: set[str] | None = None) -> bool:
    return address.rpartition("@")[2].lower() in (domains if domains is not None else our_domains())


def staff_user_for(address: str):  # noqa: ANN201 - a user or None
    user = get_user_model().objects.filter(email__iexact=address, is_active=True).first()
    return user if user is not None and is_staff_member(user) else None


def cc_contacts(addresses: list[str], exclude: set[str]) -> list[Contact]:
    """Contacts for ``addresses`` (created when unknown) — set-based, for a 500-recipient Cc too."""
    domains = our_domains()
    wanted = [a for a in dict.fromkeys(addresses) if a not in exclude and not is_ours(a, domains)][:MAX_CCS]
    if not wanted:
        return []
    known = {c.email.lower(): c for c in Contact.objects.filter(email__in=wanted)}
    missing = [a for a in wanted if a not in known]
    if missing:
        Contact.objects.bulk_create(
            [Contact(email=a, name=a.split("@")[0][:200]) for a in missing], ignore_conflicts=True
        )
        known |= {c.email.lower(): c for c in Contact.objects.filter(email__in=missing)}
    return [known[a] for a in wanted if a in known]


def may_write_to(ticket: Ticket, contact: Contact) -> bool:
    """The requester, a CC of the ticket, or a colleague from the ticket's organization."""
    if ticket.requester_id == contact.pk:
        return True
    if contact.organization_id is not None and contact.organization_id == ticket.organization_id:
        return True
    return ticket.cc_contacts.filter(pk=contact.pk).exists()


def update_ccs(ticket: Ticket, sender: Contact, addresses: list[str]) -> None:
    """The requester's reply sets the CC list (adds the new, drops the missing); a CC's reply only adds."""
    contacts = cc_contacts(addresses, exclude={sender.email.lower(), ticket.requester.email.lower()})
    if ticket.requester_id == sender.pk:
        ticket.cc_contacts.set(contacts)
    elif contacts:
        ticket.cc_contacts.add(*contacts)
