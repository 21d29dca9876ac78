"""IMAP mailboxes against a real Dovecot: messages become tickets exactly once across two polls and a
restart (of the server, and of our side with its UID bookmark lost and the messages unflagged)."""

from __future__ import annotations

import pytest
from imap_tools import MailBoxUnencrypted, MailMessageFlags

from mail.models import InboundEmail, Mailbox
from mail.services import sweep
from mail.services.imap import poll_all
from tests.mail.dovecot import Dovecot
from tests.mail.helpers import make_email
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

USER, PASSWORD = "support@example.test", "s3cret-imap"


@pytest.fixture
def dovecot():
    server = Dovecot({USER: PASSWORD})
    server.start()
    yield server
    server.cleanup()


def _client(server: Dovecot) -> MailBoxUnencrypted:
    return MailBoxUnencrypted("127.0.0.1", server.port).login(USER, PASSWORD)


def test_poll_exactly_once_across_polls_and_restart(dovecot, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    with _client(dovecot) as box:
        for i in range(3):
            box.append(make_email(subject=f"IMAP {i}", sender=f"p{i}@client.example"), "INBOX")
    mailbox = Mailbox.objects.create(
        name="Support",
        host="127.0.0.1",
        port=dovecot.port,
        security="none",
        username=USER,
        password_env="TEST_IMAP_PASSWORD",
        address="support@example.test",
    )
    assert poll_all() == {"stored": 3, "failed": 0}
    sweep()
    assert Ticket.objects.count() == 3
    assert set(InboundEmail.objects.values_list("state", flat=True)) == {"processed"}
    with _client(dovecot) as box:
        assert all(MailMessageFlags.SEEN in m.flags for m in box.fetch(mark_seen=False))

    assert poll_all()["stored"] == 0  # second poll: nothing new

    dovecot.stop()
    dovecot.start()
    # Our side restarts having lost its bookmark, and the messages were never flagged (crash after store).
    Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=0)
    with _client(dovecot) as box:
        box.flag([m.uid for m in box.fetch(mark_seen=False)], MailMessageFlags.SEEN, False)
        box.append(make_email(subject="IMAP new", sender="late@client.example"), "INBOX")
    assert poll_all()["stored"] == 1
    sweep()
    assert Ticket.objects.count() == 4 and InboundEmail.objects.count() == 4


def test_wrong_password_env_recorded_not_raised(dovecot):
    Mailbox.objects.create(
        name="Broken",
        host="127.0.0.1",
        port=dovecot.port,
        security="none",
        username=USER,
        password_env="NOT_SET_ANYWHERE_123",
    )
    ok = Mailbox.objects.create(
        name="Down", host="127.0.0.1", port=1, security="none", username=USER, password_env="PATH"
    )
    assert poll_all() == {"stored": 0, "failed": 2}
    assert "NOT_SET_ANYWHERE_123" in Mailbox.objects.get(name="Broken").last_error
    ok.refresh_from_db()
    assert ok.last_error


def test_move_to_folder(dovecot, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    with _client(dovecot) as box:
        box.folder.create("Done")
        box.append(make_email(subject="to move"), "INBOX")
    Mailbox.objects.create(
        name="Mover",
        host="127.0.0.1",
        port=dovecot.port,
        security="none",
        username=USER,
        password_env="TEST_IMAP_PASSWORD",
        move_to="Done",
    )
    assert poll_all()["stored"] == 1
    with _client(dovecot) as box:
        assert list(box.fetch()) == []
        box.folder.set("Done")
        assert len(list(box.fetch())) == 1
