"""The errors the core raises, each naming what was wrong and where."""


class LineageError(Exception):
    """Base of every error this project raises on purpose."""


class ModelError(LineageError):
    """A node or edge that breaks the model (unknown property, wrong type, edge between wrong kinds, no citation)."""


class StoreError(LineageError):
    """A write the store refused whole (e.g. an edge to a node that exists nowhere); nothing was written."""


class StoreUnavailable(LineageError):
    """The store could not be reached."""


class NotFound(LineageError):
    """An id, alias, reference or name that the graph does not hold: unknown, which is not the same as none."""
