"""The duplicate-answer job on a fixture: 3 look-alike answers → one proposal, 2 → none, citing an
article → none, run twice → still one (and leadership told once)."""

from __future__ import annotations

import pytest

from knowledge import duplicates
from knowledge.models import Proposal
from tests.factories import ContactFactory, UserFactory
from tickets import services
from tickets.models import Notification

pytestmark = pytest.mark.django_db

ANSWER = (
    "Hi {name}, to reconnect the calendar open Settings, choose Integrations, press Disconnect next to "
    "Google Calendar, wait a minute and press Connect again; then pick the calendars to sync and save."
)
OTHER = (
    "Hello {name}, invoices are in Billing under Documents; each one has a Download PDF button and you "
    "can change the address they are sent to in Billing settings at any time you like."
)


def answer(agent, text: str, n: int):
    contact = ContactFactory()
    ticket = services.open_ticket(contact, f"Question {n}", "Please help me with this.")
    return services.add_reply(ticket, agent, text.format(name=contact.name.split()[0]))


@pytest.fixture
def engineer(db):
    return UserFactory(username="eng", role="Agent")


def doc_needed():
    return Proposal.objects.filter(kind=Proposal.Kind.DOC_NEEDED)


def test_three_look_alike_answers_make_one_proposal(engineer, manager):
    msgs = [answer(engineer, ANSWER, n) for n in range(3)]
    answer(engineer, OTHER, 9)
    assert duplicates.run()["created"] == 1
    proposal = doc_needed().get()
    assert set(proposal.examples.values_list("id", flat=True)) == {m.pk for m in msgs}
    assert proposal.agent == engineer
    notices = Notification.objects.filter(reason="doc_needed")
    assert [n.recipient_user for n in notices] == [manager]
    assert all(f"#{m.ticket.number}" in notices[0].body for m in msgs)


def test_two_answers_are_not_enough(engineer, manager):
    for n in range(2):
        answer(engineer, ANSWER, n)
    assert duplicates.run()["clusters"] == 0
    assert not doc_needed().exists()


def test_answers_citing_an_article_do_not_count(engineer, manager, make_article):
    article = make_article("Reconnect your calendar")
    for n in range(2):
        answer(engineer, ANSWER, n)
    answer(engineer, ANSWER + f" The steps: http://127.0.0.1:8000{article.get_absolute_url()}", 3)
    assert duplicates.run()["clusters"] == 0
    assert not doc_needed().exists()


def test_three_agents_one_answer_each_is_no_cluster(manager):
    for n in range(3):
        answer(UserFactory(role="Agent"), ANSWER, n)
    assert duplicates.run()["clusters"] == 0


def test_running_twice_keeps_one_proposal_and_one_notice(engineer, manager):
    for n in range(3):
        answer(engineer, ANSWER, n)
    duplicates.run()
    again = duplicates.run()
    assert again["created"] == 0 and again["unchanged"] == 1
    assert doc_needed().count() == 1
    assert Notification.objects.filter(reason="doc_needed").count() == 1
    fourth = answer(engineer, ANSWER, 4)  # a new look-alike joins the same proposal, nobody told again
    assert duplicates.run()["grown"] == 1
    assert doc_needed().get().examples.filter(pk=fourth.pk).exists()
    assert Notification.objects.filter(reason="doc_needed").count() == 1


def test_threshold_is_configurable(engineer, manager, settings):
    for n in range(3):
        answer(engineer, ANSWER, n)
    settings.KNOWLEDGE_DUPLICATE_THRESHOLD = 0.99  # the greetings differ: not identical enough
    assert duplicates.run()["clusters"] == 0


def test_configured_leadership(engineer, manager, settings):
    boss = UserFactory(username="cs-lead", role="Triage lead")
    settings.KNOWLEDGE_LEADERSHIP = "cs-lead"
    for n in range(3):
        answer(engineer, ANSWER, n)
    duplicates.run()
    assert [n.recipient_user for n in Notification.objects.filter(reason="doc_needed")] == [boss]


def test_shingles_and_jaccard():
    a = duplicates.shingles(ANSWER.format(name="Ann"))
    b = duplicates.shingles(ANSWER.format(name="Bob"))
    assert 0.8 < duplicates.jaccard(a, b) < 1
    assert duplicates.jaccard(a, duplicates.shingles(OTHER.format(name="Ann"))) < 0.1
    assert duplicates.shingles("Thanks, done!") == frozenset()
