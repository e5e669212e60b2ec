"""Forms of the evidence pages: uploading a partner's data file."""

from __future__ import annotations

from typing import Any

from django import forms

from placeworks.partners.models import Organisation
from placeworks.partners.permissions import Permission, is_platform_admin, organisations_where

MAX_UPLOAD = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Data file",
        help_text="CSV or XLSX in the tidy layout (download the template below), up to 20 MB.",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="Organisation",
        help_text="Maintains any new indicators the file defines.",
    )
    commit = forms.BooleanField(
        required=False,
        label="Import now",
        help_text="Leave unticked to check the file first: nothing is written.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        if is_platform_admin(user):
            field.queryset = Organisation.objects.order_by("name")
        else:
            field.queryset = Organisation.objects.filter(
                pk__in=organisations_where(user, Permission.UPLOAD_EVIDENCE)
            ).order_by("name")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file must be 20 MB or smaller.")
        name = upload.name.lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or an XLSX workbook.")
        return upload
