"""Issue #15 item 16: a tag over 100 characters is refused with a word instead of being cut silently."""

from __future__ import annotations

import pytest

from tickets import services
from tickets.errors import InvalidInput


def test_a_long_tag_is_refused_not_cut(ticket, agent):
    with pytest.raises(InvalidInput, match="at most 100 characters"):
        services.set_tags(ticket, agent, ["ok", "x" * 101])
    assert not ticket.tags.exists()
    services.set_tags(ticket, agent, ["y" * 100])
    assert [t.name for t in ticket.tags.all()] == ["y" * 100]


def test_the_workspace_says_why(client, ticket, agent):
    client.force_login(agent)
    response = client.post(f"/tickets/{ticket.number}/tags/", {"tags": "short, " + "z" * 150})
    assert response.status_code == 400 and b"at most 100 characters" in response.content
    assert not ticket.tags.exists()
