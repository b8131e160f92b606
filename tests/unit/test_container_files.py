"""The container files name only what exists: commands of the CLI, settings of the app, the readiness
route. Building and running the image is `make image-check` (deploy/container/check.sh), run by CI."""

from __future__ import annotations

import re

import yaml

from memo_coach.settings import Settings
from tests.support.helpers import REPO
from tests.unit.test_docs_commands import resolve

CONTAINER = REPO / "deploy" / "container"
SETTINGS = {f"MEMO_COACH_{name.upper()}" for name in Settings.model_fields}


def containerfile() -> str:
    return (CONTAINER / "Containerfile").read_text()


def test_the_image_runs_the_server_as_a_user_with_a_health_check_on_readiness():
    text = containerfile()
    assert text.rstrip().endswith('CMD ["memo-coach", "serve"]')
    final = text.rsplit("\nFROM ", 1)[1]
    assert re.search(r"^USER memo$", final, re.M) and re.search(r"^VOLUME /data$", final, re.M)
    assert "/health/ready" in final.split("HEALTHCHECK", 1)[1]
    assert resolve(["serve"])[0] == ["serve"]


def test_every_variable_the_image_sets_is_a_setting():
    names = set(re.findall(r"\b(MEMO_COACH_[A-Z_]+)=", containerfile()))
    assert {"MEMO_COACH_DATA_DIR", "MEMO_COACH_HOST"} <= names and names <= SETTINGS


def test_every_compose_service_of_the_image_runs_a_command_that_exists():
    compose = yaml.safe_load((CONTAINER / "compose.yaml").read_text())
    ours = {name: s for name, s in compose["services"].items() if s.get("image", "").endswith("/memo-coach:latest")}
    assert {"web", "worker"} <= set(ours)
    for service in ours.values():
        assert service["command"][0] == "memo-coach"
        assert resolve(service["command"][1:])[0] == service["command"][1:]
        assert set(service["environment"]) <= SETTINGS
    assert "postgres" in ours["web"]["depends_on"]


def test_the_image_holds_the_runbooks_where_the_runbook_pages_read_them():
    from memo_coach.web.pages.runbook_pages import RUNBOOKS

    final = containerfile().rsplit("\nFROM ", 1)[1]
    workdir = re.findall(r"^WORKDIR (\S+)$", final, re.M)[-1]
    copied = re.search(r"^COPY (?:--\S+ )*docs/runbooks/? (\S+)$", final, re.M)
    assert copied, "the image must copy docs/runbooks/: every runbook link 404s without them"
    assert not RUNBOOKS.is_absolute()  # read relative to the working directory
    assert copied.group(1).rstrip("/") == f"{workdir}/{RUNBOOKS.as_posix()}"
    ignored = (CONTAINER / "containerignore").read_text().split()
    assert not any(pattern.startswith("docs") for pattern in ignored)
