"""Estate importers, one module per file format; ``FORMATS`` names them for the command and upload.

All share the ingest core (``placeworks.ingest``): the file is read and every row validated
before anything is written, and the write is all or nothing and idempotent.
"""

from __future__ import annotations

from placeworks.ingest.core import BaseImporter

from .common import AssetImporter
from .generic import GenericAssetImporter
from .gias import GiasImporter
from .hsds import HsdsImporter
from .nhs_sites import NhsSitesImporter
from .ods_gp import OdsGpImporter
from .postcodes import PostcodeImporter

# --format value -> (importer class, plain-English description)
FORMATS: dict[str, tuple[type[BaseImporter], str]] = {
    "generic": (GenericAssetImporter, "Asset register (CSV or XLSX, the documented columns)"),
    "gias": (GiasImporter, "DfE Get Information about Schools (establishments CSV)"),
    "ods-gp": (OdsGpImporter, "NHS ODS GP practices (epraccur CSV, no header row)"),
    "nhs-sites": (NhsSitesImporter, "NHS website hospital sites (Hospital.csv)"),
    "hsds": (HsdsImporter, "Community services, Open Referral UK (HSDS) JSON"),
}

__all__ = [
    "FORMATS",
    "AssetImporter",
    "GenericAssetImporter",
    "GiasImporter",
    "HsdsImporter",
    "NhsSitesImporter",
    "OdsGpImporter",
    "PostcodeImporter",
]
