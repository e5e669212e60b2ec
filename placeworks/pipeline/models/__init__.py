"""The pipeline's records: projects and what hangs off them, and funding opportunities.

One module per noun: ``project`` (the project and its partners, places, assets, stage history,
risks, funding lines, key dates and inequalities targeted), ``documents`` (evidence uploads) and
``funding`` (funding opportunities and their criteria). ``choices`` holds the shared vocabularies.
"""

from .choices import (
    ACTIVE_STAGES,
    BENEFITS,
    STAGE_ORDER,
    AssetRole,
    Benefit,
    PartnerRole,
    ProjectType,
    Rag,
    Severity,
    Stage,
    sector_group,
    sector_group_label,
)
from .documents import DocumentKind, EvidenceDocument
from .funding import FundingOpportunity
from .project import (
    FundingLine,
    KeyDate,
    Project,
    ProjectAsset,
    ProjectIndicator,
    ProjectPartner,
    Risk,
    StageChange,
)

__all__ = [
    "ACTIVE_STAGES",
    "BENEFITS",
    "STAGE_ORDER",
    "AssetRole",
    "Benefit",
    "DocumentKind",
    "EvidenceDocument",
    "FundingLine",
    "FundingOpportunity",
    "KeyDate",
    "PartnerRole",
    "Project",
    "ProjectAsset",
    "ProjectIndicator",
    "ProjectPartner",
    "ProjectType",
    "Rag",
    "Risk",
    "Severity",
    "Stage",
    "StageChange",
    "sector_group",
    "sector_group_label",
]
