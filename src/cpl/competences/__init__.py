"""Competence frameworks: CASE import, built-in frameworks, mapping evidence, coverage."""

from cpl.competences.builtin import ensure_built_in_frameworks
from cpl.competences.links import erase_owner_links, forget_entry_links, links_data
from cpl.competences.routes import (
    CaseController,
    CompetenceSearchController,
    CoverageController,
    EntryCompetenceController,
    FrameworkController,
)

__all__ = [
    "CaseController",
    "CompetenceSearchController",
    "CoverageController",
    "EntryCompetenceController",
    "FrameworkController",
    "ensure_built_in_frameworks",
    "erase_owner_links",
    "forget_entry_links",
    "links_data",
]
