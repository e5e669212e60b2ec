"""Forms for plans, priorities and plan uploads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from placeworks.partners.models import Organisation, Visibility
from placeworks.partners.permissions import Permission, is_platform_admin, organisations_where
from placeworks.places.models import Area, AreaType
from placeworks.themes.models import Aim, Theme

from .areas import find_area
from .ingest import FORMATS
from .models import PLAN_AREA_TYPES, PlanStatus
from .periods import normalise_period

MAX_UPLOAD = 20 * 1024 * 1024


def editable_organisations(user: Any) -> QuerySet[Organisation]:
    if is_platform_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisations_where(user, Permission.EDIT_PLAN))


def parent_areas() -> QuerySet[Area]:
    return Area.objects.filter(type__in=[AreaType.LAD, AreaType.PLACE], is_active=True).order_by(
        "type", "name"
    )


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_type_display()})"


class PeriodField(forms.CharField):
    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return value
        period = normalise_period(value)
        if period is None:
            raise forms.ValidationError("Enter the financial year like 2025/26.")
        return period


class OwnerMixin:
    fields: dict[str, forms.Field]

    def limit_owner(self, user: Any) -> None:
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = editable_organisations(user)
        owner.empty_label = None


class PlanCreateForm(OwnerMixin, forms.Form):
    area = forms.CharField(
        label="Area code",
        max_length=20,
        help_text="The GSS code of the ward, neighbourhood, PLACE area or district, "
        "e.g. E05014610.",
    )
    period = PeriodField(label="Period", max_length=9, help_text="Financial year, e.g. 2025/26.")
    owner = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Whose plan")
    title = forms.CharField(
        max_length=200, required=False, help_text="Leave empty for ‘<area> plan <period>’."
    )
    sharing = forms.ChoiceField(
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        label="Visibility when published",
        help_text="Drafts are only seen by your organisation.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limit_owner(user)

    def clean_area(self) -> Area:
        code = self.cleaned_data["area"].strip().upper()
        area = find_area(code, PLAN_AREA_TYPES)
        if area is None:
            raise forms.ValidationError(
                f"No ward, neighbourhood, PLACE area or district has the code ‘{code}’."
            )
        return area


class PlanEditForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    status = forms.ChoiceField(choices=PlanStatus.choices)
    sharing = forms.ChoiceField(
        choices=Visibility.choices,
        label="Visibility when published",
        help_text="Drafts are only seen by members of the owning organisation.",
    )


class PriorityForm(forms.Form):
    text = forms.CharField(
        label="Priority",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="As the plan words it. Themes are suggested as you type.",
    )
    themes = forms.MultipleChoiceField(required=False, choices=())
    actions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Actions"
    )
    lead = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Lead contacts",
        help_text="Names, roles or teams, one per line.",
    )
    partners = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Partner organisations",
        help_text="One per line. Registered organisations are linked; other names are kept as "
        "written.",
    )
    override_aims = forms.BooleanField(required=False, label="Choose the strategy aims by hand")
    aims = forms.ModelMultipleChoiceField(queryset=Aim.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        themes = self.fields["themes"]
        assert isinstance(themes, forms.MultipleChoiceField)
        themes.choices = [(t.slug, t.name) for t in Theme.objects.all()]
        aims = self.fields["aims"]
        assert isinstance(aims, forms.ModelMultipleChoiceField)
        aims.queryset = Aim.objects.select_related("strategy").order_by("strategy__name", "number")
        text = self.fields["text"]
        text.widget.attrs.update(
            {
                "hx-post": reverse("priorities:suggest"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#suggestions",
                "hx-swap": "innerHTML",
                "hx-include": "closest form",
                "hx-sync": "this:replace",
            }
        )


class ImportForm(OwnerMixin, forms.Form):
    file = forms.FileField(label="File", help_text="CSV, XLSX or Word (.docx), up to 20 MB.")
    format = forms.ChoiceField(
        choices=[("auto", "Work it out from the file name")]
        + [(name, description) for name, (_, description) in FORMATS.items()],
        label="File format",
    )
    owner = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Whose plans")
    parent = AreaChoiceField(
        queryset=Area.objects.none(),
        required=False,
        label="District or PLACE area",
        help_text="Where to look up ward names (needed for Word documents and for files that "
        "name wards without their codes).",
    )
    period = PeriodField(
        max_length=9,
        required=False,
        label="Period",
        help_text="Financial year, e.g. 2025/26, for rows and headings that give none.",
    )
    status = forms.ChoiceField(
        choices=PlanStatus.choices,
        label="Status of new plans",
        help_text="Drafts are only seen by your organisation until published.",
    )
    commit = forms.BooleanField(
        required=False,
        label="Import now",
        help_text="Leave unticked to check the file first: nothing is written.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.limit_owner(user)
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parent_areas()
        parent.empty_label = "None: the file gives area codes"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file must be 20 MB or smaller.")
        return upload
