"""Areas, their hierarchy, groupings and crosswalks (geography in the style of MapIt).

An area is identified by (type, code, vintage): LSOA codes that did not change in 2021 exist in
both the 2011 and 2021 vintages, and a ward code can stand in several ward years. Geometry is
kept as WKB in WGS84 (processed in-process with shapely, identically on SQLite and PostgreSQL)
with simplified GeoJSON copies per map zoom bucket in ``AreaShape``.

Hierarchy and groupings are edges in ``AreaRelation`` (child -> parent, with a kind); the
transitive closure is materialised in ``AreaLink`` so "all LSOAs in this PLACE area" is one query.
Geographies that do not nest (GP practices, wards of another year) are bridged by ``Crosswalk``
weights computed from populations or from area overlap.
"""

from __future__ import annotations

from django.db import models


class AreaType(models.TextChoices):
    LSOA = "lsoa", "Lower layer super output area (neighbourhood)"
    MSOA = "msoa", "Middle layer super output area"
    WARD = "ward", "Electoral ward"
    LAD = "lad", "Local authority district"
    COUNTY = "county", "County or unitary area"
    ICB = "icb", "Integrated care board"
    SICBL = "sicbl", "Sub-ICB location"
    REGION = "region", "Region"
    COUNTRY = "country", "Country"
    PLACE = "place", "PLACE area"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    GP_PRACTICE = "gp_practice", "GP practice"
    PCN = "pcn", "Primary care network"


# Order from the smallest to the largest, used for breadcrumbs and choropleth levels.
TYPE_ORDER = [
    AreaType.LSOA,
    AreaType.GP_PRACTICE,
    AreaType.MSOA,
    AreaType.NEIGHBOURHOOD,
    AreaType.WARD,
    AreaType.PCN,
    AreaType.LAD,
    AreaType.SICBL,
    AreaType.PLACE,
    AreaType.COUNTY,
    AreaType.ICB,
    AreaType.REGION,
    AreaType.COUNTRY,
]


# Short labels for tables, breadcrumbs and map legends.
SHORT_LABELS: dict[str, str] = {
    AreaType.LSOA: "LSOA",
    AreaType.MSOA: "MSOA",
    AreaType.WARD: "Ward",
    AreaType.LAD: "Local authority district",
    AreaType.COUNTY: "County",
    AreaType.ICB: "Integrated care board",
    AreaType.SICBL: "Sub-ICB location",
    AreaType.REGION: "Region",
    AreaType.COUNTRY: "Country",
    AreaType.PLACE: "PLACE area",
    AreaType.NEIGHBOURHOOD: "Neighbourhood",
    AreaType.GP_PRACTICE: "GP practice",
    AreaType.PCN: "Primary care network",
}

PLURAL_LABELS: dict[str, str] = {
    AreaType.LSOA: "LSOAs",
    AreaType.MSOA: "MSOAs",
    AreaType.WARD: "Wards",
    AreaType.LAD: "Local authority districts",
    AreaType.COUNTY: "Counties",
    AreaType.ICB: "Integrated care boards",
    AreaType.SICBL: "Sub-ICB locations",
    AreaType.REGION: "Regions",
    AreaType.COUNTRY: "Countries",
    AreaType.PLACE: "PLACE areas",
    AreaType.NEIGHBOURHOOD: "Neighbourhoods",
    AreaType.GP_PRACTICE: "GP practices",
    AreaType.PCN: "Primary care networks",
}

# Types defined by the partnership as named sets of other areas (AreaRelation kind "member").
GROUPING_TYPES = frozenset({AreaType.PLACE, AreaType.NEIGHBOURHOOD})

# Statistical building blocks: each boundary vintage is a complete set of its own, so the same
# code (an LSOA unchanged in 2021) is one row per vintage. Every other type follows GSS practice
# (a new code whenever a boundary changes): one row per code, labelled with the newest vintage it
# is known in.
VINTAGED_TYPES = frozenset({AreaType.LSOA, AreaType.MSOA})


class Area(models.Model):
    type = models.CharField(max_length=20, choices=AreaType.choices, db_index=True)
    code = models.CharField(
        max_length=20, db_index=True, help_text="ONS GSS code, ODS code or a generated code"
    )
    vintage = models.CharField(
        max_length=10,
        blank=True,
        help_text="Boundary vintage, e.g. 2011 or 2021 for LSOAs, the ward year for wards",
    )
    name = models.CharField(max_length=200, db_index=True)
    geometry_wkb = models.BinaryField(null=True, blank=True, help_text="WGS84 (EPSG:4326)")
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    centroid_lon = models.FloatField(null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    area_hectares = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)
    population_source = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(
        default=True,
        help_text="New boundary vintages can load inactive and be switched on after checks.",
    )
    is_sample = models.BooleanField(default=False, help_text="Illustrative sample data")
    description = models.TextField(blank=True)
    boundary_source = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the geometry came from: a boundary file, or how it was derived",
    )
    boundary_derived = models.BooleanField(
        default=False,
        help_text="The geometry was derived (dissolved from constituent areas), not loaded",
    )
    geometry_updated_at = models.DateTimeField(null=True, blank=True)
    population_method = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            ("direct", "Published for this area"),
            ("apportioned", "Apportioned from another geography"),
            ("summed", "Sum of constituent areas"),
        ],
    )
    is_partial = models.BooleanField(
        default=False,
        help_text="Only some of this area's constituent areas are loaded: totals are not shown",
    )
    coverage_note = models.TextField(
        blank=True, help_text="What is missing from this area, in plain words"
    )

    class Meta:
        ordering = ["type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["type", "code", "vintage"], name="area_type_code_vintage"
            )
        ]
        indexes = [
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"]),
            models.Index(fields=["type", "vintage", "is_active"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def type_label(self) -> str:
        return str(AreaType(self.type).label) if self.type in AreaType.values else self.type

    @property
    def short_type_label(self) -> str:
        return SHORT_LABELS.get(self.type, self.type_label)

    @property
    def plural_type_label(self) -> str:
        return PLURAL_LABELS.get(self.type, self.short_type_label + "s")

    @property
    def has_geometry(self) -> bool:
        return self.geometry_wkb is not None

    @property
    def is_grouping(self) -> bool:
        return self.type in GROUPING_TYPES


class AreaRelation(models.Model):
    """A direct edge: ``child`` lies in (or is a member of) ``parent``."""

    class Kind(models.TextChoices):
        WITHIN = "within", "Lies within (official hierarchy)"
        MEMBER = "member", "Member of a grouping (PLACE area, neighbourhood)"

    child = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="child_links")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WITHIN)
    source = models.CharField(max_length=200, blank=True, help_text="Lookup file or grouping file")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "parent"], name="one_relation_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.kind} {self.parent}"


class AreaLink(models.Model):
    """Materialised transitive closure of ``AreaRelation`` (rebuilt after imports)."""

    ancestor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="descendant_links")
    descendant = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="ancestor_links")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="one_link_per_pair")
        ]
        indexes = [models.Index(fields=["descendant", "depth"])]

    def __str__(self) -> str:
        return f"{self.descendant} in {self.ancestor} (depth {self.depth})"


class AreaShape(models.Model):
    """A simplified GeoJSON geometry of an area for one map zoom bucket."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="shapes")
    zoom = models.PositiveSmallIntegerField()
    geojson = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "zoom"], name="one_shape_per_zoom")]

    def __str__(self) -> str:
        return f"{self.area} at zoom {self.zoom}"


class Crosswalk(models.Model):
    """Weights for apportioning values from one geography to another that does not nest."""

    class Method(models.TextChoices):
        POPULATION = "population", "Population weights"
        OVERLAP = "overlap", "Area overlap of boundaries"
        LOOKUP = "lookup", "Best-fit lookup (weight 1)"

    name = models.CharField(max_length=200, unique=True)
    source_type = models.CharField(max_length=20, choices=AreaType.choices)
    source_vintage = models.CharField(max_length=10, blank=True)
    target_type = models.CharField(max_length=20, choices=AreaType.choices)
    target_vintage = models.CharField(max_length=10, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class CrosswalkWeight(models.Model):
    """Share of ``source`` that goes to ``target``; a source's weights sum to 1."""

    crosswalk = models.ForeignKey(Crosswalk, on_delete=models.CASCADE, related_name="weights")
    source = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    weight = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["crosswalk", "source", "target"], name="one_weight_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} -> {self.target}: {self.weight:.4f}"
