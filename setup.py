"""The wheel carries what the program reads beside its code, so an installed `lineage` builds and serves
with no checkout and no network: the bundled data, the cookbook and SDL, and the front-end libraries pinned by
web/package-lock.json (the files web/package.json's "served" table names, copied under their public names).

They land in lineage/_bundled/, where lineage/resources.py looks first. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
WEB = HERE / "web"


def _node_modules() -> Path:
    """web/node_modules as web/package-lock.json pins it, installing it with npm when it is missing."""
    modules = WEB / "node_modules"
    if not modules.is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("building the wheel needs the front-end libraries: install npm, or run `make` first")
        subprocess.run([npm, "ci", "--prefix", str(WEB), "--silent", "--no-audit", "--no-fund"], check=True)
    return modules


class BuildWithResources(build_py):
    """build_py, then the resources copied into the built package (not for editable installs: those read
    the checkout itself)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        bundled = Path(self.build_lib) / "lineage" / "_bundled"
        shutil.rmtree(bundled, ignore_errors=True)
        shutil.copytree(HERE / "data", bundled / "data")
        shutil.copytree(HERE / "graphql", bundled / "graphql")
        modules = _node_modules()
        served = json.loads((WEB / "package.json").read_text(encoding="utf-8"))["served"]
        (bundled / "vendor").mkdir(parents=True)
        for name, relative in served.items():
            shutil.copyfile(modules / relative, bundled / "vendor" / name)


setup(cmdclass={"build_py": BuildWithResources})
