"""The Excel importers this app declares (found by ``common.sheets.importers()``: the background job runs
them by kind)."""

from .importing import TalentImporter

IMPORTERS = [TalentImporter()]
