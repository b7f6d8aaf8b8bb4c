"""The recruitment app's Excel importers (discovered by ``infra.sheets.importers``)."""

from .importing import DemandImporter, GraduateImporter, MajorImporter, PostImporter, SkillImporter

IMPORTERS = [DemandImporter(), PostImporter(), MajorImporter(), SkillImporter(), GraduateImporter()]
