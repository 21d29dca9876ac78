"""factory-boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tickets.models import Contact, Message, Organization, Team, Ticket
from tickets.services.core import next_number

PASSWORD = "pw-Secret-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@staff.example")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
            if extracted == "Admin":
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Client {n} Ltd")


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")
    organization = factory.SubFactory(OrganizationFactory)
    is_authorised = False


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket row as-is (no services run); use ``tickets.services.open_ticket`` to test behaviour."""

    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    number = factory.LazyFunction(next_number)
    subject = factory.Faker("sentence", nb_words=6)
    requester = factory.SubFactory(ContactFactory)
    organization = factory.LazyAttribute(lambda t: t.requester.organization)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    author_contact = factory.LazyAttribute(lambda m: m.ticket.requester)
    body = factory.Faker("paragraph")


def requester_user(contact: Contact | None = None, **kwargs):
    """A portal user linked to a contact."""
    contact = contact or ContactFactory(**kwargs)
    user = UserFactory(username=f"req-{contact.pk}", email=contact.email)
    contact.user = user
    contact.save(update_fields=["user"])
    return user
