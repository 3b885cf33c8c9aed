"""The shared corpus of bad inputs that every store, and the API over each, must answer alike.

Strings go wherever a string goes (ids, search text, aliases, references, cursors); cursors and pages
where a page is asked. The expected answers are the contract's: an unknown id is unknown, a lone
surrogate or an out-of-range page is refused with the same words on every store.
"""

from __future__ import annotations

import base64

INJECTIONS = [
    "' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "`) DETACH DELETE n WITH 1 AS x MATCH (m",
    "School:1' }) RETURN 1 UNION MATCH (n) RETURN n //",
    "$id",
    "\\u0027; CALL dbms.shutdown()",
]
#: Strings that are not valid Unicode: JSON carries them ("\ud800"), no store can hold them.
SURROGATES = ["\ud800", "School:9000001\udfff", "a\udc00b"]
STRINGS = [
    *INJECTIONS,
    *SURROGATES,
    "\x00",
    "School:9000001\x00",
    "研究所 Ōtautahi \u202e\ufeff",
    "x" * 10_000,
    "",
    " ",
]


def cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


#: ``after`` values that are no cursor this API gives: negative, overflowing 64 bits, thousands of digits; numbers
#: int() reads but the API never writes (a space, a sign, a leading zero, other scripts' digits, an underscore),
#: another prefix, and "offset:3" spelled in base64 with padding bits set.
CURSORS = [
    cursor("offset:-1"),
    cursor("offset:-2"),
    cursor("offset:99999999999999999999"),
    cursor(f"offset:{2**63}"),
    cursor(f"offset:{2**31}"),
    cursor("offset:" + "9" * 5_000),
    cursor("offset:1e3"),
    cursor("page:3"),
    "not base64!",
    "",
    base64.b64encode(b"\xff\xfeoffset:1").decode(),
    *(cursor(f"offset:{number}") for number in (" 3", "+3", "03", "\u0663", "\uff13", "3_0", "3\n")),
    cursor("OFFSET:3"),
    "b2Zmc2V0OjN=",
]
#: Names asked of the app's folders (/cookbook/, /static/, /reach/): none is a file there. 300 characters, too long
#: for a file name, once answered 500 with two tracebacks in the log.
FILE_NAMES = ["a" * 300 + ".graphql", "nothing.graphql", "..%2Fschema.graphql", "lineage", "%00"]
#: Offsets and page sizes for the store contract: negative, past 32 and 64 bits.
OFFSETS = [-1, 2**31, 2**63, 10**30]
LIMITS = [-1, 1001, 2**63]
#: ``first`` values for the API: out of range, and past GraphQL's 32-bit Int.
PAGES = [-1, 101, 2**31 - 1, 2**31, 2**63]
