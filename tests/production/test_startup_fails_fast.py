"""A missing PostgreSQL or Redis stops the start within 30 s, saying which and where."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bot.harness.stack import RunningStack, free_port
from bot.runtime.secrets_policy import generated_secrets
from bot.runtime.settings import PROJECT_ROOT

LIMIT_S = 30


def closed_port() -> int:
    return free_port()  # nothing listens there


def start_and_wait(tmp_path, env) -> tuple:
    stack = RunningStack(tmp_path, env={**generated_secrets(), **env}).start(wait=False)
    started = time.monotonic()
    status = stack.wait_exit(timeout_s=LIMIT_S + 15)
    return status, time.monotonic() - started, "".join(stack.output)


def test_no_postgresql_stops_the_stack_before_anything_starts(tmp_path, redis_url):
    database = f"postgresql://postgres@127.0.0.1:{closed_port()}/backchat"
    env = {"BACKCHAT_PROFILE": "production", "BACKCHAT_DATABASE_URL": database,
           "BACKCHAT_REDIS_URL": redis_url}  # fmt: skip
    status, took, output = start_and_wait(tmp_path, env)
    assert status == 2
    assert took < LIMIT_S
    assert "BackChat cannot start: PostgreSQL at 127.0.0.1:" in output
    assert "/backchat is unreachable after 15 s" in output
    assert "check BACKCHAT_DATABASE_URL" in output
    assert "Rasa server" not in output  # nothing was started


def test_no_redis_stops_the_stack(tmp_path, database_url):
    env = {"BACKCHAT_PROFILE": "production", "BACKCHAT_DATABASE_URL": database_url,
           "BACKCHAT_REDIS_URL": f"redis://127.0.0.1:{closed_port()}/1"}  # fmt: skip
    status, took, output = start_and_wait(tmp_path, env)
    assert status == 2 and took < LIMIT_S
    assert "BackChat cannot start: Redis at 127.0.0.1:" in output
    assert "check BACKCHAT_REDIS_URL" in output


@pytest.mark.servers
def test_rasa_started_without_the_stack_also_gives_up_in_time(tmp_path, redis_url):
    """The Helm chart path: `rasa run` with endpoints.production.yml, no preflight."""
    env = dict(
        os.environ,
        BACKCHAT_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{closed_port()}/backchat",
        BACKCHAT_REDIS_URL=redis_url,
        BACKCHAT_REDIS_KEY_PREFIX="failfast",
        BACKCHAT_ACTIONS_URL="http://127.0.0.1:9",
        RASA_TELEMETRY_ENABLED="false",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
    )
    command = [
        sys.executable, "-m", "rasa", "run", "--port", str(free_port()),
        "--model", "models/current.tar.gz", "--endpoints", "endpoints.production.yml",
    ]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    took = time.monotonic() - started
    assert result.returncode != 0
    assert "PostgreSQL at 127.0.0.1:" in result.stdout + result.stderr
    assert took < LIMIT_S, f"rasa run gave up after {took:.0f} s"
