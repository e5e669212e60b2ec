"""Forms for adding and changing an asset, and for uploading an asset file."""

from __future__ import annotations

from typing import Any

from django import forms

from placeworks.partners.models import Organisation
from placeworks.partners.permissions import (
    Permission,
    is_platform_admin,
    organisations_where,
)

from .ingest import FORMATS
from .models import SENSITIVE_FIELDS, Asset

ASSET_FIELDS = [
    "owner",
    "name",
    "kind",
    "status",
    "visibility",
    "address",
    "postcode",
    "lat",
    "lon",
    "uprn",
    "reference",
    "tenure",
    "floor_area_m2",
    "site_area_ha",
    "condition",
    "backlog_maintenance_cost",
    "annual_running_cost",
    "utilisation_percent",
    "capacity",
    "capacity_unit",
    "occupancy",
    "services_delivered",
    "accessibility_notes",
    *SENSITIVE_FIELDS,
]


def editable_organisations(user: Any) -> Any:
    if is_platform_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisations_where(user, Permission.EDIT_ASSET))


class AssetForm(forms.ModelForm):
    class Meta:
        model = Asset
        fields = ASSET_FIELDS
        labels = {"lat": "Latitude", "lon": "Longitude"}
        help_texts = {
            "postcode": "Used to place the asset when no coordinates are given.",
            "lat": "WGS84, e.g. 53.1437. Leave both empty to place the asset by postcode.",
            "visibility": "Who may see this asset. Disposal plans, estimated values and "
            "commercial notes are only ever shown to your own organisation.",
            "disposal_plan": "Seen only by members of the owning organisation.",
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "services_delivered": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "disposal_plan": forms.Textarea(attrs={"rows": 3}),
            "commercial_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = editable_organisations(user)
        owner.empty_label = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("lat") is None) != (cleaned.get("lon") is None):
            self.add_error("lon", "Enter both latitude and longitude, or neither.")
        return cleaned

    def _post_clean(self) -> None:
        # The service validates and saves; the form only checks its own fields.
        pass


class ImportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[(name, description) for name, (_, description) in FORMATS.items()],
        label="File format",
    )
    owner = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Owning organisation",
        help_text="For rows that do not name their owner (required for community services).",
    )
    file = forms.FileField(label="File", help_text="CSV, XLSX or JSON, up to 20 MB.")
    commit = forms.BooleanField(
        required=False,
        label="Import now",
        help_text="Leave unticked to check the file first: nothing is written.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = editable_organisations(user)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The file must be 20 MB or smaller.")
        return upload
