"""Where the files the program reads live: the bundled data, the cookbook and SDL, the front-end libraries.

In a checkout they are the repository's own folders (``data/``, ``graphql/``, ``web/node_modules``). An
installed wheel carries copies inside the package, in ``lineage/_bundled/``, put there by ``setup.py`` as it
builds; found with :mod:`importlib.resources`, so nothing depends on where the program was installed from.
This module alone decides; nothing else guesses at paths.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType

from lineage.errors import LineageError

#: The folder inside the installed package that holds the copies (the name setup.py writes).
BUNDLED_FOLDER = "_bundled"


def _package_dir() -> Path:
    where = files("lineage")
    if not isinstance(where, Path):
        raise LineageError(f"the lineage package must be installed as files, not inside an archive ({where})")
    return where


_BUNDLED = _package_dir() / BUNDLED_FOLDER
#: True in an installed wheel, False in a checkout (or an editable install of one).
INSTALLED = _BUNDLED.is_dir()
_HOME = _BUNDLED if INSTALLED else _package_dir().parent

#: The bundled source files every importer reads (the real data the graph is built from).
DATA_DIR = _HOME / "data"
#: The cookbook: one GraphQL operation per campaign question, each in its own file.
COOKBOOK = _HOME / "graphql" / "queries"
#: The cookbook's index: its operations in the README's order, each with its question and example variables.
COOKBOOK_INDEX = _HOME / "graphql" / "cookbook.json"
#: The front-end libraries, by public name: in a wheel, copied under these names; in a checkout, in
#: web/node_modules as web/package.json pins them and its "served" table names them.
VENDOR_DIR = _BUNDLED / "vendor" if INSTALLED else _HOME / "web" / "node_modules"
#: The checkout's pins of the front-end libraries, and its "served" table of the files the app serves.
WEB_PACKAGE = _package_dir().parent / "web" / "package.json"


@functools.cache
def served_libraries(package_json: Path = WEB_PACKAGE) -> Mapping[str, str]:
    """The front-end files the app serves: public name -> path under node_modules (web/package.json's
    "served" table, beside the versions that pin them). setup.py reads the same table to copy them."""
    served = json.loads(package_json.read_text(encoding="utf-8")).get("served")
    if not isinstance(served, dict) or not all(isinstance(v, str) for v in served.values()):
        raise LineageError(f'{package_json}: "served" must map public names to paths under node_modules')
    return MappingProxyType(served)


def vendor_file(name: str) -> Path | None:
    """The front-end library served as ``name``, or None when there is no such library or it is not installed."""
    if INSTALLED:
        path = VENDOR_DIR / name
        return path if path.parent == VENDOR_DIR and path.is_file() else None
    relative = served_libraries().get(name)
    installed = VENDOR_DIR / relative if relative else None
    return installed if installed is not None and installed.is_file() else None
