"""Staff roles are cached for a minute to save a query per page; any change of a user's groups (from
either side) or of the user clears the cache at once, so a demoted agent loses access immediately."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from helpdesk.permissions import MANAGER, has_role, role_cache_key, role_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return type(user).objects.get(pk=user.pk)  # a new object: no per-object memo


def test_role_is_cached_after_the_first_lookup(agent, django_assert_num_queries):
    assert role_of(fresh(agent)) == "Agent"
    assert cache.get(role_cache_key(agent.pk)) == "Agent"
    user = fresh(agent)
    with django_assert_num_queries(0):
        assert role_of(user) == "Agent"


def test_removing_the_group_revokes_access_at_once(agent, login):
    client = login(agent)
    assert client.get("/queues/").status_code == 200
    agent.groups.clear()
    assert client.get("/queues/").status_code == 403


def test_adding_from_the_group_side_is_seen_at_once(agent):
    role_of(fresh(agent))
    Group.objects.get(name=MANAGER).user_set.add(agent)
    assert has_role(fresh(agent), MANAGER)


def test_requesters_and_strangers_are_not_cached(contact):
    stranger = UserFactory(username="stranger")
    assert role_of(fresh(stranger)) is None
    assert cache.get(role_cache_key(stranger.pk)) is None


def test_deleting_a_role_group_clears_its_members_cached_roles(agent, login):
    client = login(agent)
    assert client.get("/queues/").status_code == 200  # role cached
    Group.objects.get(name="Agent").delete()
    assert client.get("/queues/").status_code == 403
