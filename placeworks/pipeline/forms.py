"""Forms of the pipeline pages (GOV.UK markup comes from the templates and ``govuk_widget``)."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db.models import Q

from placeworks.estate.models import Asset, AssetArea
from placeworks.partners.models import Organisation
from placeworks.partners.permissions import visible
from placeworks.places.models import Area

from . import services, sources
from .models import (
    BENEFITS,
    DocumentKind,
    FundingOpportunity,
    PartnerRole,
    Project,
    Severity,
    Stage,
)
from .models.choices import SECTOR_GROUP_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

PROJECT_FIELDS = [
    "title",
    "summary",
    "lead",
    "project_type",
    "visibility",
    "places",
    "themes",
    "rag_status",
    "rag_reason",
    "capital_cost",
    "revenue_cost",
    *(f"{b.key}_{when}" for when in ("forecast", "achieved") for b in BENEFITS),
    "service_outcomes_forecast",
    "service_outcomes_achieved",
    "start_date",
    "end_date",
    "notes",
]
_MODEL_FIELDS = forms.fields_for_model(
    Project,
    fields=PROJECT_FIELDS,
    widgets={
        "summary": forms.Textarea(attrs={"rows": 4}),
        "rag_reason": forms.Textarea(attrs={"rows": 2}),
        "service_outcomes_forecast": forms.Textarea(attrs={"rows": 3}),
        "service_outcomes_achieved": forms.Textarea(attrs={"rows": 3}),
        "notes": forms.Textarea(attrs={"rows": 4}),
        "places": forms.SelectMultiple(attrs={"size": 8}),
        "themes": forms.CheckboxSelectMultiple,
        "start_date": DATE,
        "end_date": DATE,
    },
    labels={"lead": "Lead organisation", "project_type": "Type of project"},
    help_texts={
        "visibility": "Organisation: only members of the lead and partner organisations see "
        "it anywhere (pages, maps, exports, totals).",
        "places": "PLACE areas and districts the project serves. Hold Ctrl (or Cmd) to choose "
        "several.",
    },
)
# Groups of fields for the form page, in order.
SECTIONS = [
    ("About the project", ["title", "summary", "lead", "project_type", "visibility"]),
    ("Where and what", ["places", "themes"]),
    ("Status", ["rag_status", "rag_reason"]),
    ("Costs", ["capital_cost", "revenue_cost"]),
    ("Benefits forecast", [f"{b.key}_forecast" for b in BENEFITS] + ["service_outcomes_forecast"]),
    ("Benefits achieved", [f"{b.key}_achieved" for b in BENEFITS] + ["service_outcomes_achieved"]),
    ("Dates and notes", ["start_date", "end_date", "notes"]),
]


def place_areas(selected: list[int] | None = None) -> Any:
    query = Q(type__in=["place", "lad"], is_active=True)
    if selected:
        query |= Q(pk__in=selected)
    return Area.objects.filter(query).order_by("-type", "name")


class AreaChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        kind = obj.get_type_display().split(" (")[0].lower()
        return f"{obj.name} ({kind})"


class AssetChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.owner.name})"


class ProjectForm(forms.Form):
    """The project's own fields. ``version`` is the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: Any, project: Project | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, model_field in _MODEL_FIELDS.items():
            self.fields[name] = copy.deepcopy(model_field)
        leads = services.lead_choices(user)
        if project is not None:
            leads = leads | Organisation.objects.filter(pk=project.lead_id)
        lead = self.fields["lead"]
        assert isinstance(lead, forms.ModelChoiceField)
        lead.queryset = leads.distinct().order_by("name")
        lead.empty_label = None
        chosen = list(project.places.values_list("pk", flat=True)) if project else []
        original = self.fields["places"]
        self.fields["places"] = AreaChoices(
            queryset=place_areas(chosen),
            required=False,
            widget=original.widget,
            label=original.label,
            help_text=original.help_text,
        )
        self.fields["themes"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The completion date must be on or after the start date.")
        return data

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def plain_values(self) -> dict[str, Any]:
        """The cleaned input as plain values comparable with ``services.snapshot``."""
        return {
            name: services.plain(name, value)
            for name, value in self.cleaned_data.items()
            if name in services.TRACKED_FIELDS
        }

    def model_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k in services.TRACKED_FIELDS}


def initial_from(values: dict[str, Any]) -> dict[str, Any]:
    """Form initial values from plain values (a snapshot or a rebase)."""
    return {name: value for name, value in values.items() if name in PROJECT_FIELDS}


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, label="Move to")
    reason = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when pausing, withdrawing or moving back a stage.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"))
    role = forms.ChoiceField(choices=PartnerRole.choices)

    def __init__(self, *args: Any, project: Project, **kwargs: Any):
        super().__init__(*args, **kwargs)
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.exclude(pk=project.lead_id).order_by("name")


class AssetLinkForm(forms.Form):
    asset = AssetChoice(
        queryset=Asset.objects.none(),
        required=False,
        help_text="Assets in the places served, that you may see.",
    )
    description = forms.CharField(
        required=False, max_length=300, label="Or describe a new building or site"
    )
    role = forms.ChoiceField(
        choices=[("vacated", "Vacated"), ("reused", "Reused"), ("new", "New")], label="Role"
    )

    def __init__(self, *args: Any, project: Project, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        assets = visible(user, Asset.objects.all()).select_related("owner")
        place_ids: set[int] = set()
        for area in project.places.all():
            place_ids |= sources.related_area_ids(area)
        if place_ids:
            assets = assets.filter(
                pk__in=AssetArea.objects.filter(area_id__in=place_ids).values("asset_id")
            )
        field = self.fields["asset"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assets.order_by("name")[:500]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("asset") and not data.get("description"):
            raise forms.ValidationError("Choose an asset or describe the new building or site.")
        return data


class RiskForm(forms.Form):
    description = forms.CharField(max_length=300)
    severity = forms.ChoiceField(choices=Severity.choices, initial=Severity.MEDIUM)
    mitigation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FundingLineForm(forms.Form):
    opportunity = forms.ModelChoiceField(
        queryset=FundingOpportunity.objects.all(),
        required=False,
        label="Funding opportunity (if any)",
    )
    funder = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to use the funder of the opportunity"
    )
    amount_sought = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2, label="Amount sought (£)"
    )
    amount_secured = forms.DecimalField(
        required=False, min_value=0, max_digits=14, decimal_places=2, label="Amount secured (£)"
    )
    notes = forms.CharField(required=False, max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("funder") and not data.get("opportunity"):
            self.add_error("funder", "Enter the funder, or choose a funding opportunity.")
        return data


class KeyDateForm(forms.Form):
    label = forms.CharField(max_length=200, label="What happens")
    date = forms.DateField(widget=DATE)
    achieved = forms.BooleanField(required=False, label="Already happened")


class IndicatorForm(forms.Form):
    indicator_code = forms.CharField(max_length=100, label="Indicator")
    indicator_name = forms.CharField(max_length=300, required=False, label="Indicator name")
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(), required=False, label="Place (all places served if empty)"
    )
    baseline_value = forms.FloatField(
        required=False, help_text="Leave empty to take the latest value from the evidence"
    )
    baseline_period = forms.CharField(max_length=40, required=False)
    unit = forms.CharField(max_length=60, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any):
        super().__init__(*args, **kwargs)
        area = self.fields["area"]
        assert isinstance(area, forms.ModelChoiceField)
        area.queryset = project.places.all()
        choices = sources.indicators()
        if choices:
            self.fields["indicator_code"] = forms.ChoiceField(
                choices=[("", "Choose an indicator")] + choices, label="Indicator"
            )


class DocumentForm(forms.Form):
    file = forms.FileField(
        help_text="PDF, Word (.docx), Excel (.xlsx), CSV, PNG or JPEG, up to 10 MB."
    )
    title = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(choices=DocumentKind.choices, initial=DocumentKind.OTHER)


class FundingOpportunityForm(forms.ModelForm):
    url = forms.URLField(required=False, assume_scheme="https", label="Web page")
    area_types = forms.MultipleChoiceField(
        required=False,
        choices=[
            ("place", "PLACE area"),
            ("lad", "District"),
            ("ward", "Ward"),
            ("county", "County"),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text="A project must serve at least one area of these types (none: any).",
    )
    required_sectors = forms.MultipleChoiceField(
        required=False,
        choices=list(SECTOR_GROUP_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        label="Partners required",
    )

    class Meta:
        model = FundingOpportunity
        fields = [
            "name",
            "funder",
            "description",
            "url",
            "themes",
            "area_types",
            "min_need_decile",
            "stage_required",
            "max_grant",
            "match_funding_percent",
            "required_sectors",
            "deadline",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
            "deadline": DATE,
        }
