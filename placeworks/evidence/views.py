"""Evidence pages: the catalogue, an indicator, a place profile (with its CSV), the map,
comparing places, inequality within a place, and uploading a partner's data. Thin: each parses
the request, calls ``queries`` (or an importer), and renders."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from placeworks.exports import safe_cell
from placeworks.ingest.web import render_import_page, run_form_upload
from placeworks.partners.permissions import Permission, has_permission
from placeworks.places.models import Area, AreaType
from placeworks.themes.models import Theme

from . import charts, queries
from .forms import UploadForm
from .ingest import TidyImporter, template_csv, template_xlsx
from .maps import LEVELS
from .models import Indicator
from .need import config as need_config
from .profile import TYPE_PLURAL

MAIN_THEMES = ["overall", "housing", "education-skills", "health-wellbeing"]
INEQUALITY_DEFAULTS = [
    "iod-years-of-potential-life-lost",
    "iod-comparative-illness-disability-ratio",
    "iod-health-score",
    "iod-imd-score",
]
LEVEL_NAMES: dict[str, str] = {
    AreaType.LSOA: "Neighbourhoods (LSOAs)",
    AreaType.WARD: "Wards",
    AreaType.LAD: "Districts",
    AreaType.PLACE: "PLACE areas",
    AreaType.COUNTY: "Counties",
}


def _area_from(request: HttpRequest, code: str) -> Area:
    area = queries.find_area(
        code, type=request.GET.get("type") or None, vintage=request.GET.get("vintage") or None
    )
    if area is None:
        raise Http404(f"No area with code {code}.")
    return area


def index(request: HttpRequest) -> HttpResponse:
    places = queries.comparable_places()
    groups: dict[str, list[Area]] = {}
    for area in places:
        groups.setdefault(str(TYPE_PLURAL.get(area.type, area.type)).capitalize(), []).append(area)
    return render(
        request,
        "evidence/index.html",
        {
            "page_title": "Evidence",
            "groups": groups,
            "indicator_count": Indicator.objects.count(),
            "may_upload": has_permission(request.user, Permission.UPLOAD_EVIDENCE),
        },
    )


def indicator_list(request: HttpRequest) -> HttpResponse:
    sections: dict[str, list[Indicator]] = {}
    for indicator in queries.indicators().filter(summary=""):
        name = indicator.theme.name if indicator.theme else "Overall deprivation and population"
        sections.setdefault(name, []).append(indicator)
    return render(
        request,
        "evidence/indicators.html",
        {"page_title": "Indicators", "sections": sections},
    )


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = queries.find_indicator(code)
    if indicator is None:
        raise Http404(f"No indicator {code}.")
    level = request.GET.get("level") or ""
    values = queries.indicator_values(
        indicator, area_type=level or None, period=request.GET.get("period") or None
    )
    rows = values.rows
    if not level:
        rows = [r for r in rows if r.area.type != AreaType.LSOA][:500]
    return render(
        request,
        "evidence/indicator.html",
        {
            "page_title": indicator.name,
            "indicator": indicator,
            "values": values,
            "rows": rows[:2000],
            "level": level,
            "levels": [(lv, LEVEL_NAMES.get(lv, lv)) for lv in LEVELS],
            "summaries": indicator.summaries.all(),
        },
    )


def _highest_need(area: Area) -> tuple[str, list[dict[str, Any]]]:
    """The smaller areas with the highest overall need, with the themes and components that
    make them so."""
    inner = AreaType.WARD if area.type not in (AreaType.WARD, AreaType.LSOA) else AreaType.LSOA
    found = queries.highest_need(area, inner, None, limit=5)
    rows = []
    for sub, entry in found:
        themes = []
        for key in MAIN_THEMES[1:]:
            theme_entry = (entry.themes or {}).get(key) if entry.themes else None
            if theme_entry is None:
                theme_entry = queries.need_index(sub, key)
            if theme_entry is not None:
                themes.append(theme_entry)
        rows.append({"area": sub, "entry": entry, "themes": themes})
    return inner, rows


def _inequality(area: Area, code: str | None = None) -> queries.Inequality | None:
    candidates = [code] if code else INEQUALITY_DEFAULTS
    for candidate in candidates:
        indicator = Indicator.objects.filter(code=candidate).first()
        if indicator is None:
            continue
        try:
            return queries.inequality(area, indicator)
        except queries.NotEnoughData:
            continue
    return None


def _inequality_chart(result: queries.Inequality) -> str:
    word = result.group_word
    return charts.bars(
        [str(g.number) for g in result.groups],
        [g.value for g in result.groups],
        lower=[g.lower for g in result.groups],
        upper=[g.upper for g in result.groups],
        line=result.fitted,
        title=(
            f"{result.indicator.short_name} by deprivation {word} in {result.area.name} "
            f"(1 = most deprived), with the fitted slope"
        ),
        decimals=result.indicator.decimals,
    )


def area_profile(request: HttpRequest, code: str) -> HttpResponse:
    area = _area_from(request, code)
    parent = None
    if request.GET.get("parent"):
        parent = queries.find_area(request.GET["parent"])
        if parent is None:
            raise Http404(f"No area with code {request.GET['parent']}.")
    result = queries.profile(area, parent=parent)
    need = queries.need_index(area)
    need_rows = []
    if need is not None and need.themes:
        for key in MAIN_THEMES + [k for k in need.themes if k not in MAIN_THEMES]:
            if key in need.themes:
                need_rows.append(need.themes[key])
    inner, highest = _highest_need(area) if area.type != AreaType.LSOA else ("", [])
    inequality = _inequality(area) if area.type != AreaType.LSOA else None
    change = queries.decile_change(area) if area.type != AreaType.LSOA else None
    decile_charts = [
        (
            d,
            charts.bars(
                [str(i) for i in range(1, 11)],
                [float(c) for c in d.deciles],
                title=f"{area.name}'s LSOAs by national IMD decile, IoD{d.period} (1 = most deprived)",
                css=[f"pw-decile--{i}" for i in range(1, 11)],
                decimals=0,
            ),
        )
        for d in result.deprivation
        if d.lsoa_count
    ]
    return render(
        request,
        "evidence/profile.html",
        {
            "page_title": f"{area.name}: evidence profile",
            "area": area,
            "profile": result,
            "need": need,
            "need_rows": need_rows,
            "inner_plural": TYPE_PLURAL.get(inner, inner),
            "highest": highest,
            "inequality": inequality,
            "inequality_chart": _inequality_chart(inequality) if inequality else "",
            "change": change,
            "decile_charts": decile_charts,
            "csv_url": reverse("evidence:profile-csv", args=[area.code])
            + ("?" + request.GET.urlencode() if request.GET else ""),
            "api_url": reverse("api-1.0.0:area_profile", args=[area.code]),
        },
    )


class SafeWriter:
    """A CSV writer whose cells cannot run as spreadsheet formulas (indicator and area names
    come from partners' uploads)."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer

    def writerow(self, row: list[Any]) -> None:
        self.writer.writerow([safe_cell(value) for value in row])


def profile_csv(request: HttpRequest, code: str) -> HttpResponse:
    area = _area_from(request, code)
    result = queries.profile(area)
    buffer = io.StringIO()
    writer = SafeWriter(csv.writer(buffer))
    writer.writerow(
        [
            "area_code",
            "area_name",
            "theme",
            "indicator",
            "indicator_name",
            "period",
            "value",
            "lower",
            "upper",
            "count",
            "denominator",
            "unit",
            "parent_code",
            "parent_value",
            "compared_to_parent",
            "england_value",
            "compared_to_england",
            "rank_in_group",
            "group_size",
            "group",
            "national_rank",
            "national_rank_of",
            "decile",
            "basis",
            "note",
        ]
    )
    for section in result.sections:
        for row in section.rows:
            writer.writerow(
                [
                    area.code,
                    area.name,
                    section.name,
                    row.indicator.code,
                    row.indicator.name,
                    row.period,
                    row.value,
                    row.lower,
                    row.upper,
                    row.count,
                    row.denominator,
                    row.indicator.unit,
                    result.parent.code if result.parent else "",
                    row.parent.value if row.parent else "",
                    row.vs_parent,
                    row.england.value if row.england else "",
                    row.vs_england,
                    row.local_rank,
                    row.local_count,
                    row.group_label,
                    row.rank,
                    row.rank_of,
                    row.decile,
                    row.basis,
                    row.note,
                ]
            )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="profile-{area.code}.csv"'
    return response


def indicator_map(request: HttpRequest) -> HttpResponse:
    mappable = list(
        Indicator.objects.filter(observations__area__type__in=LEVELS, summary="")
        .distinct()
        .order_by("order", "name")
    )
    code = request.GET.get("indicator") or (
        "iod-imd-score" if any(i.code == "iod-imd-score" for i in mappable) else ""
    )
    indicator = next((i for i in mappable if i.code == code), mappable[0] if mappable else None)
    level = request.GET.get("level") or AreaType.LSOA
    if level not in LEVELS:
        level = AreaType.LSOA
    layer = None
    data_url = ""
    if indicator is not None:
        layer = queries.map_layer(indicator, level, request.GET.get("period") or None)
        if not layer.rows and layer.levels:
            level = layer.levels[0]
            layer = queries.map_layer(indicator, level, request.GET.get("period") or None)
        data_url = (
            reverse("api-1.0.0:indicator_map", args=[indicator.code])
            + "?"
            + urlencode({"level": level, "period": layer.period})
        )
    return render(
        request,
        "evidence/map.html",
        {
            "page_title": "Indicator map",
            "indicators": mappable,
            "indicator": indicator,
            "layer": layer,
            "level": level,
            "levels": [(lv, LEVEL_NAMES.get(lv, lv)) for lv in (layer.levels if layer else [])],
            "data_url": data_url,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def compare(request: HttpRequest) -> HttpResponse:
    codes = [c for c in request.GET.getlist("areas") if c]
    error = ""
    if len(codes) > queries.MAX_COMPARED:
        error = f"Choose up to {queries.MAX_COMPARED} places; you chose {len(codes)}."
        codes = codes[: queries.MAX_COMPARED]
    areas = [a for a in (queries.find_area(c) for c in codes) if a is not None]
    theme = request.GET.get("theme") or ""
    table = queries.compare(areas, theme=theme or None) if areas else None
    return render(
        request,
        "evidence/compare.html",
        {
            "page_title": "Compare places",
            "choices": queries.comparable_places(),
            "chosen": {a.code for a in areas},
            "areas": areas,
            "table": table,
            "themes": Theme.objects.filter(indicators__isnull=False).distinct(),
            "theme": theme,
            "error": error,
        },
        status=400 if error else 200,
    )


def inequality_view(request: HttpRequest) -> HttpResponse:
    places = [
        a
        for a in queries.comparable_places()
        if a.type in (AreaType.PLACE, AreaType.LAD, AreaType.COUNTY)
    ]
    indicators = list(
        Indicator.objects.filter(observations__area__type=AreaType.LSOA)
        .exclude(value_type="rank")
        .distinct()
        .order_by("order", "name")
    )
    area = queries.find_area(request.GET["area"]) if request.GET.get("area") else None
    if area is None and places:
        area = next((p for p in places if p.type == AreaType.PLACE), places[0])
    indicator = (
        queries.find_indicator(request.GET["indicator"]) if request.GET.get("indicator") else None
    )
    result = None
    error = ""
    if area is not None:
        if indicator is None:
            result = _inequality(area)
            indicator = result.indicator if result else None
        else:
            try:
                result = queries.inequality(area, indicator, request.GET.get("period") or None)
            except queries.NotEnoughData as exc:
                error = str(exc)
    return render(
        request,
        "evidence/inequality.html",
        {
            "page_title": "Inequality within a place",
            "places": places,
            "indicators": indicators,
            "area": area,
            "indicator": indicator,
            "result": result,
            "chart": _inequality_chart(result) if result else "",
            "error": error,
        },
        status=404 if error else 200,
    )


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """The web front door of the same importer as ``import_evidence``."""
    if not has_permission(request.user, Permission.UPLOAD_EVIDENCE):
        raise PermissionDenied("Only editors of a partner organisation can upload evidence.")
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    if request.method == "POST" and form.is_valid():
        importer = TidyImporter(organisation=form.cleaned_data["organisation"])
        report = run_form_upload(request, form, importer)
    return render_import_page(
        request,
        "evidence/upload.html",
        {
            "page_title": "Upload your data",
            "form": form,
            "report": report,
            "need_themes": need_config(),
        },
    )


def template_csv_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="placeworks-evidence-template.csv"'
    return response


def template_xlsx_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="placeworks-evidence-template.xlsx"'
    return response
