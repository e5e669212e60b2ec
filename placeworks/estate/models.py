"""The partnership's estate: assets, the areas they fall in, community services, postcodes.

An ``Asset`` is a building or piece of land owned (or leased) by a partner organisation. It has a
point location in WGS84 (from coordinates, or the centroid of its postcode when only a postcode
is known) and is linked to the LSOA, ward, LAD and PLACE area containing that point through
``AssetArea``; the links are recomputed whenever the asset moves.

Commercially sensitive fields (``SENSITIVE_FIELDS``: disposal plan, estimated value, commercial
notes) are shown only to members of the owning organisation and platform administrators, even
when the asset itself is visible to the whole partnership (see ``access.may_see_sensitive``).

``CommunityService`` holds groups, clubs and services in the shape of Open Referral UK (HSDS):
organization, service, location, contact, schedule and service areas.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from placeworks.partners.models import Organisation, Visibility
from placeworks.places.models import Area


class Kind(models.TextChoices):
    GP_SURGERY = "gp_surgery", "GP surgery"
    HEALTH_CENTRE = "health_centre", "Health centre"
    HOSPITAL = "hospital", "Hospital"
    CLINIC = "clinic", "Clinic"
    SCHOOL = "school", "School"
    COLLEGE = "college", "College or university"
    LIBRARY = "library", "Library"
    COMMUNITY_CENTRE = "community_centre", "Community centre"
    OFFICE = "office", "Office"
    DEPOT = "depot", "Depot"
    POLICE_STATION = "police_station", "Police station"
    FIRE_STATION = "fire_station", "Fire station"
    LEISURE_CENTRE = "leisure_centre", "Leisure centre"
    GREEN_SPACE = "green_space", "Park or green space"
    VACANT_LAND = "vacant_land", "Vacant land"
    HOUSING = "housing", "Housing"
    OTHER = "other", "Other"


class Tenure(models.TextChoices):
    FREEHOLD = "freehold", "Freehold"
    LEASEHOLD = "leasehold", "Leasehold"
    LICENCE = "licence", "Licence"


class Condition(models.TextChoices):
    """The condition categories of the NHS ERIC return and local authority condition surveys."""

    A = "A", "A – as new, expected to perform"
    B = "B", "B – sound, minor deterioration"
    C = "C", "C – operational but major repair or replacement needed soon"
    D = "D", "D – runs a serious risk of imminent breakdown"


POOR_CONDITIONS = frozenset({Condition.C, Condition.D})


class Status(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    UNDER_USED = "under_used", "Under-used"
    SURPLUS = "surplus", "Surplus"
    DISPOSAL_IN_PROGRESS = "disposal_in_progress", "Disposal in progress"
    DISPOSED = "disposed", "Disposed"


class LocationSource(models.TextChoices):
    COORDINATES = "coordinates", "Coordinates given"
    POSTCODE = "postcode", "Postcode centroid"
    NONE = "none", "Not located"


class Source(models.TextChoices):
    MANUAL = "manual", "Entered in Placeworks"
    GENERIC = "generic", "Asset register file (CSV/XLSX)"
    GIAS = "gias", "DfE Get Information about Schools"
    ODS_GP = "ods_gp", "NHS ODS GP practices (epraccur)"
    NHS_SITES = "nhs_sites", "NHS website hospital sites"


# Fields only members of the owning organisation (and platform administrators) may see.
SENSITIVE_FIELDS = ("disposal_plan", "estimated_value", "commercial_notes")

# The area types an asset is placed in.
LOCATED_TYPES = ("lsoa", "ward", "lad", "place")


class Asset(models.Model):
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="assets")
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    identifier = models.CharField(
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text="Stable key used to find duplicates on import, e.g. urn:112469, ods:C84001, "
        "or <owner-slug>:<reference>.",
    )
    reference = models.CharField(
        max_length=60, blank=True, help_text="The owner's or source's own reference"
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    uprn = models.CharField("UPRN", max_length=12, blank=True)

    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True, db_index=True)
    lon = models.FloatField("longitude", null=True, blank=True)
    lat = models.FloatField("latitude", null=True, blank=True)
    location_source = models.CharField(
        max_length=20, choices=LocationSource.choices, default=LocationSource.NONE
    )
    boundary_geojson = models.TextField(
        blank=True, help_text="Optional site boundary: a GeoJSON Polygon or MultiPolygon in WGS84"
    )

    tenure = models.CharField(max_length=20, choices=Tenure.choices, blank=True)
    floor_area_m2 = models.FloatField(
        "floor area (m² GIA)", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    site_area_ha = models.FloatField(
        "site area (ha)", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    condition = models.CharField(max_length=1, choices=Condition.choices, blank=True)
    backlog_maintenance_cost = models.DecimalField(
        "backlog maintenance cost (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    annual_running_cost = models.DecimalField(
        "annual running cost (£)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    utilisation_percent = models.FloatField(
        "utilisation (%)",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)
    capacity_unit = models.CharField(
        max_length=40, blank=True, help_text="What capacity counts, e.g. pupils, rooms, clinics"
    )
    occupancy = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many use it now, in the capacity unit"
    )
    services_delivered = models.TextField(blank=True)
    status = models.CharField(
        max_length=30, choices=Status.choices, default=Status.OPERATIONAL, db_index=True
    )
    accessibility_notes = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PARTNERS, db_index=True
    )

    # Commercially sensitive: members of the owning organisation only (SENSITIVE_FIELDS).
    disposal_plan = models.TextField(blank=True)
    estimated_value = models.DecimalField(
        "estimated value (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    commercial_notes = models.TextField(blank=True)

    is_sample = models.BooleanField(
        default=False, help_text="Illustrative sample data loaded by the demo, not a real record."
    )
    data_source = models.CharField(
        max_length=300, blank=True, help_text="Publisher and release the record came from"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["owner", "kind"]),
            models.Index(fields=["lon", "lat"]),
        ]

    def __str__(self) -> str:
        return self.name

    def organisation_ids(self) -> set[int]:
        return {self.owner_id}

    @property
    def is_located(self) -> bool:
        return self.lon is not None and self.lat is not None


class AssetArea(models.Model):
    """The area of one type (LSOA, ward, LAD, PLACE) that contains an asset's location."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="area_links")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="asset_links")
    area_type = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asset", "area_type"], name="one_area_per_type")
        ]
        indexes = [models.Index(fields=["area", "area_type"])]

    def __str__(self) -> str:
        return f"{self.asset} in {self.area}"


class PostcodeCentroid(models.Model):
    """The centre of a postcode, to place records that come with a postcode only."""

    postcode = models.CharField(max_length=8, unique=True, help_text="Upper case, no spaces")
    display = models.CharField(max_length=10, help_text="As written, e.g. NG18 1AA")
    lon = models.FloatField()
    lat = models.FloatField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.display

    @staticmethod
    def normalise(postcode: str) -> str:
        return "".join(postcode.split()).upper()


class CommunityService(models.Model):
    """A group, club or service, shaped like an Open Referral UK (HSDS) service.

    The HSDS organization, location, contact, schedules and service areas are held on the
    service itself (one of each, as most community directories have), with schedules and
    service areas as JSON lists in their HSDS shape.
    """

    hsds_id = models.CharField("HSDS service id", max_length=100, unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, default="active")
    fees = models.TextField(blank=True)
    # HSDS organization
    organization_id = models.CharField(max_length=100, blank=True)
    organization_name = models.CharField(max_length=300)
    organization_description = models.TextField(blank=True)
    organization_url = models.URLField(max_length=500, blank=True)
    # HSDS location (physical address)
    location_id = models.CharField(max_length=100, blank=True)
    location_name = models.CharField(max_length=300, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    lon = models.FloatField("longitude", null=True, blank=True)
    lat = models.FloatField("latitude", null=True, blank=True)
    # HSDS contact and phone
    contact_name = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=50, blank=True)
    contact_email = models.EmailField(blank=True)
    # HSDS regular_schedule list: {weekday|byday, opens_at, closes_at, description}
    schedules = models.JSONField(default=list, blank=True)
    # HSDS service_area list: {service_area, description, extent}
    service_areas = models.JSONField(default=list, blank=True)
    areas_served = models.ManyToManyField(Area, blank=True, related_name="community_services")
    located_in = models.ManyToManyField(Area, blank=True, related_name="+")
    asset = models.ForeignKey(
        Asset,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_services",
        help_text="The building it runs from, when that is a partner's asset",
    )
    maintainer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="community_services",
        help_text="The partner organisation that keeps this record up to date",
    )
    visibility = models.CharField(
        max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_sample = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def organisation_ids(self) -> set[int]:
        return {self.maintainer_id}
