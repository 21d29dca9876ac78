from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from helpdesk.permissions import STAFF_ROLES

from .models import ArticleStatus, Audience, Category, Proposal, Rating


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=200, required=False, help_text="Left empty: made from the title.")
    summary = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The short paragraph put in a reply with the link.",
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}), max_length=100_000, help_text="Markdown."
    )
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False)
    audience = forms.ChoiceField(choices=Audience.choices)
    status = forms.ChoiceField(choices=ArticleStatus.choices)
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False)
    last_reviewed_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    files = forms.FileField(
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True}),
        label="Add files",
        help_text="Images and documents shown with the article.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(groups__name__in=STAFF_ROLES).distinct().order_by("username")
        )


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            (Proposal.Kind.USER_DOC, "Proposed User Doc"),
            (Proposal.Kind.INTERNAL_DOC, "Proposed Internal Doc"),
        ]
    )
    title = forms.CharField(max_length=200, required=False)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), required=False, label="Where it should go"
    )
    message = forms.IntegerField(required=False, widget=forms.HiddenInput)
    ticket = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RatingForm(forms.Form):
    score = forms.ChoiceField(choices=Rating.Score.choices, widget=forms.RadioSelect)
    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    comment = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Anything to add?"
    )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search the help centre")
