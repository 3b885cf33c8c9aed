"""The errors the program raises on purpose, each naming what was wrong and where, and each declaring its
GraphQL error code (``extensions.code``): whose fault an error is follows from its class, so the API masks and
logs ours and tells the caller theirs without listing exceptions."""

import re


class LineageError(Exception):
    """Base of every error this project raises on purpose: something asked of it that it refuses (an unknown
    format, a period that ends before it starts, a page out of range)."""

    code = "BAD_USER_INPUT"


class QueryError(LineageError):
    """A read asked for something out of bounds (depth, limit) or malformed."""

    code = "BAD_USER_INPUT"


class RefusedText(QueryError):
    """A text refused as search text (not valid Unicode, too long, no letter or digit). The core names it "search
    text", knowing no adapter's names for it; it keeps the ``text`` and the ``problem``, so that an adapter names it
    as its caller gave it (the API: the argument that holds it, "name must hold a letter or a digit")."""

    def __init__(self, text: str, problem: str) -> None:
        super().__init__(f"search text {problem}")
        self.text = text
        self.problem = problem


class NotFound(LineageError):
    """An id, alias, reference or name that the graph does not hold: unknown, which is not the same as none."""

    code = "NOT_FOUND"


class StoreUnavailable(LineageError):
    """The store could not be reached: nobody's mistake, and the caller may try again."""

    code = "STORE_UNAVAILABLE"


class ModelError(LineageError):
    """A node or edge that breaks the model (unknown property, wrong type, edge between wrong kinds, no citation)."""

    code = "INTERNAL_SERVER_ERROR"


class StoreError(LineageError):
    """A write the store refused whole (e.g. an edge to a node that exists nowhere); nothing was written."""

    code = "INTERNAL_SERVER_ERROR"


class DamagedRecord(LineageError):
    """Something the store holds cannot be read as it was written (a record damaged in the store): the store's
    fault, not the asker's, and the answer that needs it is refused rather than given in part."""

    code = "INTERNAL_SERVER_ERROR"


def masked(address: str) -> str:
    """A store's address as a message may show it: what comes before an ``@`` (a user and password) masked.

    >>> masked("bolt://neo4j:secret@db:7687")
    'bolt://***@db:7687'
    """
    return re.sub(r"^([^:]*:(?://)?).*@", r"\1***@", address, flags=re.DOTALL)


#: At most this many characters of a caller's input are quoted back in an error message.
MAX_QUOTED = 200
MAX_MESSAGE = 1_000
#: A quoted value, or one whose closing quote was cut off: matching never backtracks, so it stays linear. A quote
#: opens where no letter or digit comes before it: the apostrophe of "the reader's words" opens none (the prose up to
#: the next quote had been cut short as if quoted).
_QUOTED = re.compile(r"(?<!\w)'(?:[^'\\]|\\.)*(?:'|$)" + r'|(?<!\w)"(?:[^"\\]|\\.)*(?:"|$)')


def clip(message: str) -> str:
    """The message with every quoted value longer than MAX_QUOTED characters cut short, and the whole bounded: a
    5 MB id must not come back inside its own error, from the API or the command line."""

    def shorten(match: re.Match[str]) -> str:
        quoted = match.group(0)
        if len(quoted) <= MAX_QUOTED + 2:
            return quoted
        return f"{quoted[: MAX_QUOTED + 1]}…{quoted[0]} ({len(quoted) - 2:,} characters)"

    clipped = _QUOTED.sub(shorten, message)
    return clipped if len(clipped) <= MAX_MESSAGE else clipped[: MAX_MESSAGE - 1] + "…"
