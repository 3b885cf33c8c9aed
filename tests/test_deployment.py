"""docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so check what they say."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_runs_neo4j_5_26_community_and_points_the_api_at_it() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["neo4j"]["image"] == "neo4j:5.26-community"
    assert "127.0.0.1:7687:7687" in services["neo4j"]["ports"]
    assert services["neo4j"]["healthcheck"]["test"]
    api = services["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["environment"]["LINEAGE_STORE"] == "bolt://neo4j:7687"
    assert api["build"] == "."


def test_the_dockerfile_copies_what_exists() -> None:
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from=" not in line:  # a build stage's output is not in the repo
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"Dockerfile copies {source}, which is not in the repo"


def test_the_image_serves_the_api_with_what_the_app_reads_beside_its_packages() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    copied = {line.split()[-1].removeprefix("./") for line in dockerfile.splitlines() if line.startswith("COPY ")}
    # app.py serves graphql/queries (the playground's example) and web/node_modules; importers read data/
    assert {"lineage", "importers", "data", "graphql", "web/node_modules"} <= copied
    assert "pip install --no-cache-dir -e ." in dockerfile  # editable: those folders stay beside the packages
    command = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    assert "lineage serve --host 0.0.0.0 --port 8000" in command
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "127.0.0.1:8000:8000" in compose["services"]["api"]["ports"]
