"""Importers of the evidence app: one module per source format, all on the one import core."""

from .fingertips import FingertipsImporter
from .iod import IoDImporter
from .tidy import TidyImporter, template_csv, template_xlsx

__all__ = ["FingertipsImporter", "IoDImporter", "TidyImporter", "template_csv", "template_xlsx"]
