"""The package as a user gets it: an sdist built from the checkout, a wheel built from that sdist, installed
in a fresh virtualenv outside the checkout, run from another folder. It must build the graph, answer a cookbook
question exactly as the checkout does, and serve the playground and explorer with no network."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest
from packaging.requirements import Requirement

from lineage.api.app import EXPLORER_MODULES, REACH_FILES, SHARED_MODULES
from lineage.api.client import execute_over_http
from lineage.resources import COOKBOOK, served_libraries
from lineage.stores.memory import MemoryStore

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
QUESTION, VARIABLES = "recipients-of-item", {"item": "KS4_FSM"}


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(list(map(str, command)), cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _outside_env(venv: Path) -> dict[str, str]:
    """The environment of a user's shell with the new virtualenv first: nothing of the checkout or its venv."""
    keep = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "LINEAGE_STORE"}}
    path = [p for p in keep.get("PATH", "").split(os.pathsep) if not p.startswith(str(ROOT))]
    return {**keep, "PATH": os.pathsep.join([str(venv / "bin"), *path])}


class Installation(NamedTuple):
    home: Path  # the folder a user works in, outside the checkout
    env: dict[str, str]  # their shell's environment, the new virtualenv first
    store: str  # their store's address


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from an sdist of the checkout as a release is; nothing of the source is kept beside it."""
    work = tmp_path_factory.mktemp("package")
    _run(sys.executable, "-m", "build", "--sdist", "--outdir", work / "dist", ROOT, cwd=work)
    (sdist,) = (work / "dist").glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(work / "src", filter="data")
    (source,) = (work / "src").iterdir()
    if (ROOT / "web" / "node_modules").is_dir():  # else setup.py installs them with npm, as pinned
        (source / "web" / "node_modules").symlink_to(ROOT / "web" / "node_modules")
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--wheel-dir", work / "dist", source, cwd=work)
    (built,) = (work / "dist").glob("*.whl")
    shutil.rmtree(work / "src")  # nothing of the source may be needed from here on
    return built


def _installed_in(venv: Path, wheel: Path, *requirements: str) -> dict[str, str]:
    """A fresh virtualenv at ``venv`` holding the wheel (and any ``requirements`` pinned beside it): the
    environment of a user's shell there. pip runs in it too: with the checkout on PYTHONPATH, it had found the
    checkout's metadata (written by the sdist's build) and installed the wheel's dependencies but not the wheel."""
    env = _outside_env(venv)
    _run(sys.executable, "-m", "venv", venv, cwd=venv.parent, env=env)
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, *requirements, cwd=venv.parent, env=env)
    return env


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Installation:
    work = wheel.parent.parent
    env = _installed_in(work / "venv", wheel)
    home = work / "elsewhere"
    home.mkdir()
    return Installation(home, env, "memory:" + str(home / "graph.snapshot"))


def test_the_installed_package_is_the_wheel_and_reads_its_own_copies(installed: Installation) -> None:
    home, env, _ = installed
    probe = "import json, lineage, lineage.resources as r; print(json.dumps([lineage.__file__, r.INSTALLED, str(r.DATA_DIR)]))"  # noqa: E501
    package, bundled, data = json.loads(_run("python", "-c", probe, cwd=home, env=env))
    assert not Path(package).is_relative_to(ROOT) and bundled is True
    assert sorted(p.name for p in Path(data).iterdir()) == sorted(p.name for p in (ROOT / "data").iterdir())


def test_the_installed_lineage_builds_and_answers_as_the_checkout(
    installed: Installation, memory_real: MemoryStore
) -> None:
    home, env, store = installed
    _run("lineage", "build", "--store", store, cwd=home, env=env)
    answer = json.loads(_run("lineage", "query", "--cookbook", QUESTION, "--vars", json.dumps(VARIABLES),
                             "--store", store, cwd=home, env=env))  # fmt: skip
    text = (COOKBOOK / f"{QUESTION}.graphql").read_text()
    status, expected = asyncio.run(execute_over_http(memory_real, text, VARIABLES, None))
    assert status == 200 and answer["data"] == expected["data"]
    assert answer["data"]["recipientsOfItem"]["receipts"]["totalCount"] > 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _serving(home: Path, env: dict[str, str], *options: str) -> Iterator[str]:
    """`lineage serve OPTIONS` as installed, on a free port: its address once /healthz answers; stopped at the end."""
    port = _free_port()
    command = ["lineage", "serve", "--port", str(port), *options]
    server = subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else "lineage serve exited"
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(30)


@pytest.fixture(scope="module")
def served(installed: Installation) -> Iterator[str]:
    home, env, store = installed
    with _serving(home, env, "--store", store, "--workers", "1") as base:
        yield base


def test_the_installed_server_serves_the_playground_and_the_explorer(served: str) -> None:
    playground = httpx.get(f"{served}/graphql", headers={"accept": "text/html"})
    assert playground.status_code == 200 and "/static/vendor/graphiql.js" in playground.text
    # the cookbook's index and the playground's own files are in the wheel: every operation is a tab there too
    assert '"name": "record-reach"' in playground.text and "__COOKBOOK__" not in playground.text
    for address in ("/static/playground.js", "/static/playground.css", "/favicon.ico"):
        assert httpx.get(f"{served}{address}").status_code == 200, address
    for name, relative in served_libraries().items():
        library = httpx.get(f"{served}/static/vendor/{name}")
        assert library.status_code == 200, name
        assert library.content == (ROOT / "web" / "node_modules" / relative).read_bytes(), name
    explorer = httpx.get(f"{served}/explore")
    assert explorer.status_code == 200 and "/static/vendor/d3-sankey.js" in explorer.text
    # the explorer's modules, and those the pages share, are in folders of static/ of their own
    modules = [f"explore/{name}" for name in EXPLORER_MODULES] + [f"shared/{name}" for name in SHARED_MODULES]
    for name in modules:
        module = httpx.get(f"{served}/static/{name}")
        assert module.status_code == 200 and module.headers["content-type"].startswith("text/javascript"), name
    assert httpx.get(f"{served}/reach").status_code == 200
    for name in REACH_FILES:  # the page for parents has a folder of static/ of its own too
        file = httpx.get(f"{served}/reach/{name}")
        assert file.status_code == 200, name
        assert not name.endswith(".js") or file.headers["content-type"].startswith("text/javascript"), name
    assert httpx.get(f"{served}/cookbook/flows.graphql").text == (COOKBOOK / "flows.graphql").read_text()
    counts = httpx.post(f"{served}/graphql", json={"query": "{ counts { totalNodes } }"}).json()
    assert counts["data"]["counts"]["totalNodes"] > 1000


def _oldest_allowed(name: str) -> str:
    """The oldest version of the dependency ``name`` that pyproject.toml allows (its ``>=``)."""
    for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        requirement = Requirement(line)
        if requirement.name == name:
            return next(spec.version for spec in requirement.specifier if spec.operator == ">=")
    raise AssertionError(f"pyproject.toml does not require {name}")


def test_the_oldest_uvicorn_allowed_serves_with_several_workers(wheel: Path, tmp_path: Path) -> None:
    """pyproject.toml allowed uvicorn 0.50, whose supervisor is given the workers' target, which `lineage serve`
    no longer passes: `--workers 2`, the default on two cores, stopped with a TypeError as it started."""
    home = tmp_path / "elsewhere"
    home.mkdir()
    env = _installed_in(tmp_path / "venv", wheel, f"uvicorn=={_oldest_allowed('uvicorn')}")
    with _serving(home, env, "--workers", "2") as base:  # the default store, built on first use
        answer = httpx.post(f"{base}/graphql", json={"query": "{ counts { totalNodes } }"}).json()
    assert answer["data"]["counts"]["totalNodes"] > 1000
