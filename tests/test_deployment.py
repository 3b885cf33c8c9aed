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


def test_the_image_installs_the_wheel_and_runs_as_a_user_with_a_healthcheck() -> None:
    lines = (ROOT / "Dockerfile").read_text().splitlines()
    copied = {line.split()[-1].removeprefix("./") for line in lines if line.startswith("COPY ")}
    # what setup.py reads to build the wheel (tests/test_package.py builds and installs one)
    assert {"lineage", "importers", "data", "graphql", "web/", "web/node_modules"} <= copied
    assert any("pip wheel" in line for line in lines)
    assert any("pip install" in line and ".whl" in line for line in lines)
    assert not any("pip install" in line and " -e " in line for line in lines)  # the wheel, as a user installs it
    final = lines[max(i for i, line in enumerate(lines) if line.startswith("FROM ")) :]
    users = [line.split()[1] for line in final if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    healthcheck = next(i for i, line in enumerate(final) if line.startswith("HEALTHCHECK "))
    assert "/healthz" in final[healthcheck] + final[healthcheck + 1]
    command = next(line for line in final if line.startswith("CMD "))
    assert "lineage serve --host 0.0.0.0 --port 8000" in command
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert "127.0.0.1:8000:8000" in compose["services"]["api"]["ports"]
    assert {service["restart"] for service in compose["services"].values()} == {"unless-stopped"}
