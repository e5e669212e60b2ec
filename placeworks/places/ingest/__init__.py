"""Places importers: one module per kind of file, all on the one import core
(``placeworks.ingest``): every problem named by file, row and column; all or nothing; a re-run
updates in place.

- ``lookup``: ONS-style lookup tables (LSOA21CD → WD24CD → LAD24CD …) into the hierarchy, or,
  when a file holds two vintages of one type (LSOA11CD → LSOA21CD), into a crosswalk;
- ``boundaries``: GeoJSON, zipped Shapefile or GeoPackage in any CRS;
- ``populations``: population estimates (one figure per area, or by age and sex, summed);
- ``groupings``: PLACE areas and neighbourhoods from an editable YAML or CSV file;
- ``crosswalk``: population-weighted crosswalks from counts (patients registered at each GP
  practice by LSOA).
"""

from .boundaries import BoundaryImporter
from .crosswalk import CountCrosswalkImporter
from .groupings import GroupingImporter
from .lookup import LookupImporter
from .populations import PopulationImporter

__all__ = [
    "BoundaryImporter",
    "CountCrosswalkImporter",
    "GroupingImporter",
    "LookupImporter",
    "PopulationImporter",
]
