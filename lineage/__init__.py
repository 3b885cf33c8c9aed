"""pupil-data lineage: a cited lineage graph of the flows of pupil records in England."""

from importlib.metadata import version

#: The program's version, as installed: the one `lineage --version` names, and each ImportRun records.
__version__ = version("pupil-data-lineage")
