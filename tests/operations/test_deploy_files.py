"""The Dockerfile and compose.yaml pass their linters and describe the whole
stack. (No container engine here: nothing is built or started.)"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

BASE = Path(settings.BASE_DIR)
TOOLS = Path(sys.executable).parent


def tool(name):
    path = shutil.which(name, path=str(TOOLS)) or shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (it is in the dev dependency group)")
    return path


def test_the_dockerfile_passes_hadolint():
    result = subprocess.run(
        [tool("hadolint"), str(BASE / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_follows_the_compose_specification():
    result = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
         str(BASE / "compose.yaml")],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_every_process_with_a_health_check():
    services = yaml.safe_load((BASE / "compose.yaml").read_text())["services"]
    assert {"db", "redis", "migrate", "web", "worker", "beat", "watcher"} <= set(services)
    for name in ("db", "redis", "worker", "beat"):
        assert "test" in services[name]["healthcheck"], name
    # web uses the image's HEALTHCHECK on /healthz
    assert "/healthz" in (BASE / "Dockerfile").read_text()
    assert services["web"]["command"][:3] == ["gunicorn", "-c", "gunicorn.conf.py"]


def test_the_dockerfile_runs_as_a_user_and_collects_static_files():
    dockerfile = (BASE / "Dockerfile").read_text()
    assert dockerfile.count("FROM ") >= 2  # multi-stage
    assert "collectstatic" in dockerfile
    final_stage = dockerfile.rsplit("FROM ", 1)[1]
    assert "\nUSER 10001" in final_stage


@pytest.mark.parametrize(
    "path",
    ["Procfile", "Procfile.dev", "compose.yaml", "deploy/systemd/constituent-worker@.service"],
)
def test_every_worker_consumes_every_queue(path):
    """Beat's rescue tasks and sends' acceptances go to queues of their own; a
    worker started without them would leave letters a lost worker held stuck
    for good, or sends never written."""
    text = (BASE / path).read_text()
    workers = [line for line in text.splitlines() if "config" in line and "worker" in line]
    assert workers, f"no worker command in {path}"
    for line in workers:
        assert "postings,celery,sweeper" in line, f"{path}: {line.strip()}"
