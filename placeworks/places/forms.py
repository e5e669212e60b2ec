"""Forms of the places pages: search, the map's choices, and groupings."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from . import queries
from .codes import code_problem
from .models import GROUPING_TYPES, TYPE_ORDER, Area, AreaRelation, AreaType

TYPE_CHOICES = [("", "Any type")] + [
    (t.value, Area(type=t).short_type_label) for t in reversed(TYPE_ORDER)
]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Name or code",
        required=False,
        max_length=100,
        help_text="For example Mansfield, E07000174 or Mid-Nottinghamshire",
    )
    type = forms.ChoiceField(label="Type of area", required=False, choices=TYPE_CHOICES)


MEASURE_CHOICES = list(queries.MEASURES.items())


class MapForm(forms.Form):
    type = forms.ChoiceField(label="Areas", choices=[], required=False)
    vintage = forms.CharField(required=False, widget=forms.HiddenInput)
    parent = forms.CharField(
        label="Inside (optional)",
        required=False,
        max_length=30,
        help_text="The code of a district, PLACE area or ward, e.g. E07000174",
    )
    measure = forms.ChoiceField(label="Colour by", choices=MEASURE_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"type": AreaType.LAD, "measure": "population"})
        super().__init__(*args, **kwargs)
        with_boundaries = {
            s.type for s in queries.type_summaries() if s.with_boundary and s.is_current
        }
        choices = [
            (t.value, Area(type=t).short_type_label)
            for t in reversed(TYPE_ORDER)
            if t in with_boundaries
        ]
        field = self.fields["type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices or [(AreaType.LAD, "Local authority district")]

    @staticmethod
    def defaults() -> dict[str, Any]:
        return {"type": AreaType.LAD, "vintage": "", "parent": "", "measure": "population"}


_SPLIT = re.compile(r"[\s,;]+")


class GroupingForm(forms.Form):
    name = forms.CharField(max_length=200)
    type = forms.ChoiceField(
        choices=[(AreaType.PLACE, "PLACE area"), (AreaType.NEIGHBOURHOOD, "Neighbourhood")],
        initial=AreaType.PLACE,
    )
    code = forms.CharField(
        required=False,
        max_length=20,
        help_text="Capital letters, digits and hyphens, e.g. PLACE-MID-NOTTS. Left empty, one "
        "is made from the name.",
    )
    members = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Codes of the areas it is made of (districts, wards or LSOAs), separated by "
        "spaces, commas or new lines. The current boundary vintage is used.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, area: Area | None = None, **kwargs: Any) -> None:
        self.area = area
        data = args[0] if args else kwargs.get("data")
        if area is not None and not data:
            kwargs.setdefault(
                "initial",
                {
                    "name": area.name,
                    "type": area.type,
                    "code": area.code,
                    "description": area.description,
                    "members": "\n".join(
                        AreaRelation.objects.filter(
                            parent=area, kind=AreaRelation.Kind.MEMBER
                        ).values_list("child__code", flat=True)
                    ),
                },
            )
        super().__init__(*args, **kwargs)
        if area is not None:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "The code cannot be changed."

    def clean_code(self) -> str:
        code = (self.cleaned_data.get("code") or "").strip().upper()
        if code and self.area is None:
            problem = code_problem(AreaType.PLACE, code)
            if problem:
                raise forms.ValidationError(problem)
            if Area.objects.filter(type__in=GROUPING_TYPES, code=code).exists():
                raise forms.ValidationError(f"{code} is already used by another grouping.")
        return code

    def clean_members(self) -> list[Area]:
        codes = [c.strip().upper() for c in _SPLIT.split(self.cleaned_data["members"]) if c]
        found = []
        unknown = []
        for code in dict.fromkeys(codes):
            area = queries.find_area(code)
            if area is None:
                unknown.append(code)
            else:
                found.append(area)
        if unknown:
            raise forms.ValidationError(
                "These codes are not loaded areas: " + ", ".join(unknown) + "."
            )
        if not found:
            raise forms.ValidationError("Give the codes of the areas it is made of.")
        return found


class GroupingImportForm(forms.Form):
    file = forms.FileField(
        label="Groupings file",
        help_text="YAML or CSV, as described in the places guide (docs/places.md).",
    )
    commit = forms.BooleanField(
        label="Import it (leave unticked to check the file without changing anything)",
        required=False,
    )
