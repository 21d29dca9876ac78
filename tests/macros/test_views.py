"""Macro screens: manage list / editor (staff), preview and apply from the workspace, API list + apply."""

import pytest
from rest_framework.test import APIClient

from macros.models import Macro
from tests.factories import TeamFactory, UserFactory
from tickets import services as ticket_services
from tickets.models import Tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(ticket, triage_lead):
    return ticket_services.update_ticket(ticket, triage_lead, tier=Tier.T1)


def test_manage_list_shows_shared_and_own_only_in_constant_queries(
    login, agent, django_assert_max_num_queries
):
    other = UserFactory(username="other", role="Agent")
    Macro.objects.create(title="Theirs", owner=other, priority="low")
    Macro.objects.create(title="Mine", owner=agent, priority="low")
    c = login(agent)
    with django_assert_max_num_queries(12) as few:
        page = c.get("/macros/").content.decode()
    assert "Mine" in page and "Theirs" not in page and "free trial" in page
    for i in range(15):
        Macro.objects.create(title=f"Shared {i}", status="pending", add_tags="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get("/macros/").status_code == 200


def test_requesters_cannot_manage_or_apply(client, approved):
    from tests.factories import ContactFactory

    user = UserFactory(username="req")
    ContactFactory(user=user)
    client.force_login(user)
    assert client.get("/macros/").status_code == 403
    macro = Macro.objects.first()
    assert client.post(f"/tickets/{approved.number}/macros/{macro.pk}/apply/").status_code == 403


def test_editor_keeps_typed_text_on_bad_input_and_saves(login, agent):
    c = login(agent)
    r = c.post("/macros/new/", {"title": "Hold it", "body": "Typed text", "status": "hold"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "Typed text" in page and "On hold needs a number of days" in page
    r = c.post(
        "/macros/new/",
        {"title": "Hold it", "body": "Typed text", "status": "hold", "hold_days": "3", "personal": "on"},
    )
    assert r.status_code == 302
    macro = Macro.objects.get(title="Hold it")
    assert macro.owner == agent and macro.hold_days == 3
    r = c.post("/macros/new/", {"title": "Typo", "body": "Hi {{ requester.frist_name }}"})
    assert r.status_code == 400 and "Unknown placeholder {{ requester.frist_name }}" in r.content.decode()
    r = c.post(
        f"/macros/{macro.pk}/", {"title": "New client: free trial + Engagement", "body": "Hi", "personal": ""}
    )
    assert r.status_code == 400 and "already exists" in r.content.decode()


def test_workspace_offers_macros_next_to_the_text_box(login, agent, approved):
    page = login(agent).get(f"/tickets/{approved.number}/").content.decode()
    pickers = page.index('id="reply-pickers"')
    assert pickers < page.index('id="id_body"') < page.index('id="send"')
    assert pickers < page.index('id="macro-select"') < page.index('id="id_body"')
    assert pickers < page.index('id="canned-select"') < page.index('id="id_body"')


def test_preview_then_apply_over_htmx(login, agent, approved):
    c = login(agent)
    macro = Macro.objects.create(title="Urgent", priority="urgent", note="Escalating.")
    r = c.get(f"/tickets/{approved.number}/macros/preview/?macro={macro.pk}", HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert "Priority: Normal → <strong>Urgent</strong>" in r.content.decode()
    approved.refresh_from_db()
    assert approved.priority == "normal"
    r = c.post(
        f"/tickets/{approved.number}/macros/{macro.pk}/apply/",
        {"version": approved.version},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "applied" in r.content.decode()
    approved.refresh_from_db()
    assert approved.priority == "urgent"


def test_plain_post_apply_redirects_and_stale_version_conflicts(login, agent, approved):
    c = login(agent)
    macro = Macro.objects.create(title="Low", priority="low")
    r = c.post(f"/tickets/{approved.number}/macros/{macro.pk}/apply/", {"version": approved.version - 1})
    assert r.status_code == 409
    r = c.post(f"/tickets/{approved.number}/macros/{macro.pk}/apply/", {"version": approved.version})
    assert r.status_code == 302


def test_invalid_macro_shows_a_clear_message_and_changes_nothing(login, agent, approved):
    team = TeamFactory(name="Gone", slug="gone")
    macro = Macro.objects.create(title="To gone", team_slug="gone", priority="high")
    team.delete()
    c = login(agent)
    r = c.get(f"/tickets/{approved.number}/macros/preview/?macro={macro.pk}", HTTP_HX_REQUEST="true")
    assert "no longer exists" in r.content.decode() and "macro-apply-button" not in r.content.decode()
    r = c.get(f"/tickets/{approved.number}/macros/preview/?macro={macro.pk}")
    assert r.status_code == 400 and "no longer exists" in r.content.decode()
    r = c.post(
        f"/tickets/{approved.number}/macros/{macro.pk}/apply/",
        {"version": approved.version},
        HTTP_HX_REQUEST="true",
    )
    assert "Nothing was changed" in r.content.decode()
    r = c.post(f"/tickets/{approved.number}/macros/{macro.pk}/apply/", {"version": approved.version})
    assert r.status_code == 400 and "Nothing was changed" in r.content.decode()
    approved.refresh_from_db()
    assert approved.priority == "normal"


def test_someone_elses_personal_macro_is_not_found(login, agent, approved):
    mine = Macro.objects.create(
        title="Private", owner=UserFactory(username="o", role="Agent"), priority="low"
    )
    r = login(agent).post(
        f"/tickets/{approved.number}/macros/{mine.pk}/apply/", {"version": approved.version}
    )
    assert r.status_code == 404


def test_api_lists_and_applies(agent, approved):
    api = APIClient()
    api.force_authenticate(agent)
    rows = api.get("/api/macros/").json()
    trial = next(m for m in rows if m["title"].startswith("New client"))
    assert "send to Engagement" in trial["actions"]
    url = f"/api/macros/{trial['id']}/"
    preview = api.post(url + "preview/", {"ticket": approved.number}, format="json")
    assert preview.status_code == 200
    assert api.post(url + "apply/", {"ticket": approved.number}, format="json").status_code == 428
    applied = api.post(
        url + "apply/", {"ticket": approved.number, "version": approved.version}, format="json"
    )
    assert applied.status_code == 200 and applied.json() == preview.json()
    assert api.post(url + "apply/", {"ticket": 999999, "version": 1}, format="json").status_code == 404
    assert api.post(url + "apply/", {"ticket": "x"}, format="json").status_code == 400


def test_a_macro_that_does_nothing_is_refused(login, agent):
    r = login(agent).post("/macros/new/", {"title": "Nothing at all", "body": "  "})
    assert r.status_code == 400 and "as it is it does nothing" in r.content.decode()
    assert 'value="Nothing at all"' in r.content.decode()
    assert not Macro.objects.filter(title="Nothing at all").exists()


def test_bad_hold_days_get_one_clear_error(login, agent):
    r = login(agent).post(
        "/macros/new/", {"title": "Hold", "body": "Hi", "status": "hold", "hold_days": "-3"}
    )
    page = r.content.decode()
    assert r.status_code == 400 and "greater than or equal to 1" in page
    assert "On hold needs a number of days" not in page
