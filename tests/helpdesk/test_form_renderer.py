"""helpdesk/form_renderer.py builds the common widget templates in Python: the bytes must be Django's."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.test import override_settings

from helpdesk.form_renderer import FastRenderer

FAST, SLOW = FastRenderer(), DjangoTemplates()


class Everything(forms.Form):
    text = forms.CharField(
        initial='say "hi" & <bye>', widget=forms.TextInput(attrs={"data-x": "a'b", "autofocus": True})
    )
    off = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"hidden": False, "placeholder": "<p>"})
    )
    number = forms.IntegerField(initial=0, min_value=0, max_value=9)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, initial=7)
    when = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    stamp = forms.DateTimeField(required=False)
    upload = forms.FileField(required=False)
    agree = forms.BooleanField(required=False, initial=True)
    note = forms.CharField(widget=forms.Textarea, initial="line 1\n<script>x</script>")
    empty_note = forms.CharField(widget=forms.Textarea, required=False)
    pick = forms.ChoiceField(choices=[("", "—"), ("a", "A & B"), ("b", '"quoted"')], initial="b")
    grouped = forms.ChoiceField(choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("x", "Other")])
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two")], initial=["1", "2"], required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("1", "One"), ("2", "Two")], widget=forms.CheckboxSelectMultiple, required=False
    )
    radio = forms.ChoiceField(choices=[("1", "One")], widget=forms.RadioSelect, required=False)


def rendered(form: forms.BaseForm, renderer) -> list[str]:
    form.renderer = renderer
    out = [str(form.non_field_errors())]
    for bf in form:
        out += [bf.as_widget(), str(bf.errors)]
    return out


def test_every_widget_matches_django_unbound_and_bound_with_errors():
    assert rendered(Everything(), FAST) == rendered(Everything(), SLOW)
    data = {"text": "", "number": "12", "email": "not-an-email", "pick": "zzz", "note": "", "many": ["3"]}
    fast, slow = Everything(data), Everything(data)
    assert not fast.is_valid() and not slow.is_valid()
    assert rendered(fast, FAST) == rendered(slow, SLOW)


def _project_forms():
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)) or "/.venv/" in config.path:
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


@pytest.mark.django_db
def test_every_project_form_matches_django():
    checked = 0
    for cls in _project_forms():
        try:
            unbound, unbound_too, bound, bound_too = cls(), cls(), cls({}), cls({})
        except TypeError:
            continue  # needs arguments: covered by the workspace page below
        assert rendered(unbound, FAST) == rendered(unbound_too, SLOW), cls
        bound.is_valid(), bound_too.is_valid()
        assert rendered(bound, FAST) == rendered(bound_too, SLOW), cls
        checked += 1
    assert checked >= 20


@pytest.mark.django_db
def test_the_workspace_page_is_the_same_with_either_renderer(login, agent, ticket):
    def page(renderer: str) -> str:
        with override_settings(FORM_RENDERER=renderer, WORKSPACE_FRAGMENTS=False):
            html = login(agent).get(f"/tickets/{ticket.number}/").content.decode()
        html = re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf token>", html)  # masked anew on every render
        return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d[:.\d]*(\+00:00)?", "<time>", html)  # quick picks from now

    assert settings.FORM_RENDERER == "helpdesk.form_renderer.FastRenderer"
    assert page("helpdesk.form_renderer.FastRenderer") == page("django.forms.renderers.DjangoTemplates")
