"""Area codes and the column headings of lookup files.

**Codes.** ONS GSS codes are nine characters: a letter for the country, two digits for the
entity (E01 LSOA, E02 MSOA, E05 ward, E06–E09 local authority districts, E10 county, E12
region, E38 sub-ICB location, E54 ICB, E92 country) and six digits. GP practices and primary
care networks have NHS ODS codes (``C84001``, ``U12345``). Groupings a partnership defines have
generated codes (``PLACE-MID-NOTTS``).

**Columns.** ONS lookups name their columns by entity, year and kind: ``LSOA21CD``,
``WD24NM``, ``LAD19CD``, ``F_LSOA11CD``; other publishers write ``lsoa11_code`` and
``ward17_code``, or ``LSOA code (2011)``. ``detect_columns`` reads any of these into
(type, vintage, code column, name column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import AreaType

# Entity prefixes of GSS codes, by area type (England, Wales, Scotland, Northern Ireland).
GSS_PREFIXES: dict[str, tuple[str, ...]] = {
    AreaType.LSOA: ("E01", "W01", "S01"),  # S01: Scottish data zones, in ONS UK lookups
    AreaType.MSOA: ("E02", "W02", "S02"),  # S02: Scottish intermediate zones
    AreaType.WARD: ("E05", "W05", "S13", "N08"),
    AreaType.LAD: ("E06", "E07", "E08", "E09", "W06", "S12", "N09"),
    AreaType.COUNTY: ("E10", "E11", "E13"),
    AreaType.REGION: ("E12",),
    AreaType.COUNTRY: ("E92", "W92", "S92", "N92", "K02", "K03", "K04"),
    AreaType.ICB: ("E54",),
    AreaType.SICBL: ("E38",),
}

_GSS = re.compile(r"^[EWSNK]\d{8}$")
_ODS_PRACTICE = re.compile(r"^[A-Z]\d{5}$")
_ODS_PCN = re.compile(r"^U\d{5}$")
_GENERATED = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")

EXAMPLES: dict[str, str] = {
    AreaType.LSOA: "E01028330",
    AreaType.MSOA: "E02005870",
    AreaType.WARD: "E05012345",
    AreaType.LAD: "E07000174",
    AreaType.COUNTY: "E10000024",
    AreaType.REGION: "E12000004",
    AreaType.COUNTRY: "E92000001",
    AreaType.ICB: "E54000060",
    AreaType.SICBL: "E38000243",
    AreaType.GP_PRACTICE: "C84001",
    AreaType.PCN: "U12345",
    AreaType.PLACE: "PLACE-MID-NOTTS",
    AreaType.NEIGHBOURHOOD: "NBH-BELLAMY-ROAD",
}


def code_problem(area_type: str, code: str) -> str | None:
    """Why ``code`` cannot be an area of ``area_type`` (None when it can).

    >>> code_problem("lsoa", "E01028330") is None
    True
    >>> code_problem("lsoa", "E05012345")
    "'E05012345' is not an LSOA code (expected E01, W01 or S01 and 6 digits, e.g. E01028330)"
    >>> code_problem("gp_practice", "C84001") is None
    True
    """
    label = {"lsoa": "an LSOA", "msoa": "an MSOA", "icb": "an ICB", "sicbl": "a sub-ICB location"}
    described = str(AreaType(area_type).label).lower()
    article = "an" if described[:1] in "aeiou" else "a"
    name = label.get(area_type, f"{article} {described}")
    example = EXAMPLES.get(area_type, "")
    if not code:
        return "the code is empty"
    if area_type in GSS_PREFIXES:
        prefixes = GSS_PREFIXES[area_type]
        if _GSS.match(code) and code[:3] in prefixes:
            return None
        listed = " or ".join(
            [", ".join(prefixes[:-1]), prefixes[-1]] if len(prefixes) > 1 else prefixes
        )
        return f"'{code}' is not {name} code (expected {listed} and 6 digits, e.g. {example})"
    if area_type == AreaType.GP_PRACTICE:
        if _ODS_PRACTICE.match(code):
            return None
        return f"'{code}' is not a GP practice ODS code (a letter and 5 digits, e.g. {example})"
    if area_type == AreaType.PCN:
        if _ODS_PCN.match(code):
            return None
        return f"'{code}' is not a PCN ODS code (U and 5 digits, e.g. {example})"
    if _GENERATED.match(code):
        return None
    return (
        f"'{code}' is not a usable code (capital letters, digits and hyphens, at most 20, "
        f"e.g. {example})"
    )


def is_unitary_code(code: str) -> bool:
    """A unitary authority, metropolitan district or London borough: no county above it.

    In ONS "county or unitary authority" (CTYUA/UTLA) columns such an authority appears under
    its own district code; Placeworks links it straight to its region instead.

    >>> is_unitary_code("E06000015"), is_unitary_code("E10000007")
    (True, False)
    """
    return code[:3] in {"E06", "E08", "E09", "W06", "S12", "N09"}


# --- column headings -----------------------------------------------------------------------

# Entity names used in column headings, to area types.
_ENTITIES: dict[str, str] = {
    "lsoa": AreaType.LSOA,
    "msoa": AreaType.MSOA,
    "wd": AreaType.WARD,
    "ward": AreaType.WARD,
    "lad": AreaType.LAD,
    "ltla": AreaType.LAD,
    "la": AreaType.LAD,
    "cty": AreaType.COUNTY,
    "ctyua": AreaType.COUNTY,
    "utla": AreaType.COUNTY,
    "rgn": AreaType.REGION,
    "gor": AreaType.REGION,
    "ctry": AreaType.COUNTRY,
    "icb": AreaType.ICB,
    "sicbl": AreaType.SICBL,
    "ccg": AreaType.SICBL,
    "pcn": AreaType.PCN,
}
_LONG_ENTITIES = {
    "lsoa": AreaType.LSOA,
    "msoa": AreaType.MSOA,
    "ward": AreaType.WARD,
    "electoral ward": AreaType.WARD,
    "local authority district": AreaType.LAD,
    "county": AreaType.COUNTY,
    "region": AreaType.REGION,
    "country": AreaType.COUNTRY,
}

_ONS = re.compile(r"^(?:f_)?(?P<entity>[a-z]+?)(?P<yy>\d{2})(?P<kind>cd|nm|nmw|cdh)$")
_SNAKE = re.compile(r"^(?P<entity>[a-z]+?)(?P<yy>\d{2})_(?P<kind>code|name|code_h|name_w)$")
_LONG = re.compile(r"^(?P<entity>[a-z ]+?) (?P<kind>code|name) \((?P<year>\d{4})\)$")


@dataclass(frozen=True)
class Heading:
    """What a column heading says: the area type, boundary vintage and kind of value."""

    header: str
    type: str
    vintage: str
    kind: str  # "code" or "name"


def _year(yy: str) -> str:
    # Two-digit years in GSS headings are this century (LSOA11 = 2011, WD24 = 2024).
    return f"20{yy}"


def read_heading(header: str) -> Heading | None:
    """Interpret one column heading, or None when it names no area code or name.

    >>> read_heading("LSOA21CD")
    Heading(header='LSOA21CD', type='lsoa', vintage='2021', kind='code')
    >>> read_heading("ward17_code").vintage, read_heading("F_LSOA11CD").type
    ('2017', 'lsoa')
    >>> read_heading("LSOA code (2011)").kind, read_heading("WD24NMW") is None
    ('code', True)
    """
    text = header.strip().lower()
    for pattern in (_ONS, _SNAKE):
        match = pattern.match(text)
        if match and match["entity"] in _ENTITIES:
            kind = match["kind"]
            if kind in {"nmw", "name_w"}:
                return None  # Welsh-language names: not used
            if kind in {"cdh", "code_h"}:
                return None  # NHS short codes (15M, QYG): GSS codes are used instead
            return Heading(
                header=header,
                type=str(_ENTITIES[match["entity"]]),
                vintage=_year(match["yy"]),
                kind="code" if kind in {"cd", "code"} else "name",
            )
    match = _LONG.match(text)
    if match and match["entity"] in _LONG_ENTITIES:
        return Heading(header, str(_LONG_ENTITIES[match["entity"]]), match["year"], match["kind"])
    return None


@dataclass(frozen=True)
class LevelColumns:
    """The code column (and name column, if any) of one area type and vintage in a file."""

    type: str
    vintage: str
    code: str
    name: str | None

    @property
    def label(self) -> str:
        return f"{self.type} {self.vintage}".strip()


def detect_columns(headers: list[str]) -> tuple[list[LevelColumns], list[str]]:
    """The area levels a lookup file holds, and the headings that were not understood.

    >>> levels, other = detect_columns(["LSOA21CD", "LSOA21NM", "WD24CD", "WD24NM", "ObjectId"])
    >>> [(level.type, level.vintage, level.code, level.name) for level in levels]
    [('lsoa', '2021', 'LSOA21CD', 'LSOA21NM'), ('ward', '2024', 'WD24CD', 'WD24NM')]
    >>> other
    ['ObjectId']
    """
    codes: dict[tuple[str, str], str] = {}
    names: dict[tuple[str, str], str] = {}
    other: list[str] = []
    for header in headers:
        heading = read_heading(header)
        if heading is None:
            if read_heading_ignored(header):
                continue
            other.append(header)
            continue
        key = (heading.type, heading.vintage)
        target = codes if heading.kind == "code" else names
        target.setdefault(key, header)
    levels = [LevelColumns(t, v, column, names.get((t, v))) for (t, v), column in codes.items()]
    return levels, other


def read_heading_ignored(header: str) -> bool:
    """Headings deliberately not used: Welsh names and NHS short codes."""
    text = header.strip().lower()
    for pattern in (_ONS, _SNAKE):
        match = pattern.match(text)
        if match and match["entity"] in _ENTITIES:
            return match["kind"] in {"nmw", "name_w", "cdh", "code_h"}
    return False


def vintage_key(vintage: str) -> tuple[int, str]:
    """Sort key for vintages: by the year they contain, blank first.

    >>> sorted(["2024", "", "2011", "2021"], key=vintage_key)
    ['', '2011', '2021', '2024']
    """
    digits = "".join(ch for ch in vintage if ch.isdigit())
    return (int(digits) if digits else -1, vintage)
