"""deploy/ cannot run here (no container engine): check it parses and agrees with the profile."""

from __future__ import annotations

import re
import shutil
import ssl
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.runtime.profiles import ENDPOINTS, load_profile
from bot.runtime.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
NGINX_CONF = DEPLOY / "nginx" / "backchat.conf"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def interpolate(value: str) -> str:
    """docker compose's ${VAR:?...} / ${VAR:-default}, with a stand-in value."""
    return re.sub(r"\$\{(\w+)(:[?-][^}]*)?\}", lambda m: f"x{m.group(1).lower()}", value)


def test_compose_runs_every_backchat_server_with_the_production_profile():
    services = compose()["services"]
    commands = {
        name: service["command"] for name, service in services.items() if "command" in service
    }
    assert commands["actions"][-1] == "actions"
    assert (
        commands["rasa-1"]
        == commands["rasa-2"]
        == ["python", "-m", "bot.runtime.stack", "--only", "rasa"]
    )
    assert commands["web"][-1] == "web"
    env = {k: interpolate(str(v)) for k, v in services["rasa-1"]["environment"].items()}
    profile = load_profile(env)
    assert profile.is_production and profile.rasa_workers == 2
    assert profile.database_url.endswith("@postgres:5432/backchat")
    for secret in ("BACKCHAT_API_TOKEN", "BACKCHAT_SESSION_SECRET", "BACKCHAT_STAFF_SECRET"):
        assert secret in env, f"{secret} must be shared by every server"


def test_every_compose_variable_is_in_the_env_example():
    needed = set(re.findall(r"\$\{(\w+)", COMPOSE.read_text()))
    example = (DEPLOY / ".env.example").read_text()
    provided = set(re.findall(r"^(\w+)=", example, flags=re.M))
    assert needed <= provided


def test_nginx_sends_to_the_compose_services():
    conf = NGINX_CONF.read_text()
    services = set(compose()["services"])
    upstream_hosts = set(re.findall(r"server ([\w-]+):\d+", conf))
    assert upstream_hosts <= services
    assert "hash $remote_addr consistent" in conf  # socket.io polling stays on one server
    assert compose()["services"]["nginx"]["volumes"][0].startswith("./nginx/backchat.conf:")


def test_the_helm_values_run_the_same_profile():
    rasa = yaml.safe_load((DEPLOY / "kubernetes" / "rasa-values.yaml").read_text())
    assert rasa["command"] + rasa["args"] == ["python", "-m", "bot.runtime.stack", "--only", "rasa"]
    env = {item["name"]: item for item in rasa["extraEnv"]}
    assert env["BACKCHAT_PROFILE"]["value"] == "production"
    assert {"BACKCHAT_DATABASE_URL", "BACKCHAT_REDIS_URL", "BACKCHAT_SESSION_SECRET"} <= set(env)
    assert rasa["replicaCount"] >= 2
    hash_by = rasa["ingress"]["annotations"]["nginx.ingress.kubernetes.io/upstream-hash-by"]
    assert hash_by == "$remote_addr"
    actions = yaml.safe_load((DEPLOY / "kubernetes" / "actions-values.yaml").read_text())
    assert actions["args"] == ["--only", "actions"]


def test_the_dockerfile_installs_the_pinned_requirements_and_trains():
    text = (DEPLOY / "Dockerfile").read_text()
    assert "pip install -r requirements.txt -c constraints.txt" in text
    assert "python -m bot.nlp.build models/spacy/backchat_en" in text
    assert "rasa train --fixed-model-name current --out models" in text
    assert ENDPOINTS["production"].exists()


def nginx_config(
    tmp_path: Path, rasa_ports, web_port: int, listen: int, tls_listen: int = 0
) -> Path:
    """deploy/nginx/backchat.conf with local upstreams, wrapped in a minimal nginx.conf.

    ``listen`` replaces port 80, ``tls_listen`` port 443. The private files (the REST
    channel's token, the TLS certificate) are in ``tmp_path/private/`` instead of
    /etc/nginx/backchat/; the certificate is made by scripts/self-signed-cert.sh.
    """
    conf = NGINX_CONF.read_text()
    private = tmp_path / "private"
    private.mkdir(exist_ok=True)
    if not (private / "tls" / "cert.pem").exists():
        subprocess.run(
            [str(PROJECT_ROOT / "scripts" / "self-signed-cert.sh"), "127.0.0.1", private / "tls"],
            check=True,
            capture_output=True,
        )
    conf = conf.replace("/etc/nginx/backchat/", f"{private}/")
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in rasa_ports)
    conf = re.sub(r"(    server rasa-\d+:5005[^\n]*\n)+", servers, conf)
    conf = conf.replace("server web:8000;", f"server 127.0.0.1:{web_port};")
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    conf = conf.replace("listen 443 ssl;", f"listen 127.0.0.1:{tls_listen or listen + 1} ssl;")
    (tmp_path / "backchat.conf").write_text(conf)
    main = tmp_path / "nginx.conf"
    main.write_text(
        "daemon off;\npid nginx.pid;\nerror_log error.log warn;\nevents {}\n"
        "http {\n  access_log off;\n  client_body_temp_path tmp;\n  proxy_temp_path tmp;\n"
        "  include backchat.conf;\n}\n"
    )
    (tmp_path / "tmp").mkdir(exist_ok=True)
    return main


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path):
    main = nginx_config(tmp_path, [5005, 5006], 8000, 8080, 8443)
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


PUBLIC_PATHS = {"/socket.io/", "/webhooks/facebook/", "/webhooks/telegram/", "/webhooks/twilio/"}


def helm_ingress_paths(ingress: dict) -> set:
    """The paths Rasa's chart (templates/ingress.yaml) publishes: extraPaths, then path."""
    extra = [item["path"] for item in ingress.get("extraPaths") or []]
    return {*extra, ingress.get("path", "/")}  # the chart's default path is "/"


def test_the_helm_ingress_publishes_only_the_webhooks_and_socketio_over_tls():
    """Issue 17: the chart's default path "/" published Rasa's whole HTTP API, without TLS."""
    ingress = yaml.safe_load((DEPLOY / "kubernetes" / "rasa-values.yaml").read_text())["ingress"]
    assert helm_ingress_paths(ingress) == PUBLIC_PATHS  # no "/", no /webhooks/rest/
    for item in ingress.get("extraPaths") or []:
        assert item["backend"]["service"]["port"] == {"name": "http"}
    [tls] = ingress["tls"]
    assert tls["hosts"] == [ingress["hostname"]] and tls["secretName"]
    annotations = ingress["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] == "true"


def test_the_servers_trust_exactly_the_proxy_in_front_of_them():
    """Issue 17: without it every client had nginx's address (one login limit for all)."""
    services = compose()["services"]
    for name in ("rasa-1", "rasa-2", "web"):
        env = {k: interpolate(str(v)) for k, v in services[name]["environment"].items()}
        assert env["BACKCHAT_TRUSTED_PROXIES"] == "1", name
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in NGINX_CONF.read_text()
    rasa = yaml.safe_load((DEPLOY / "kubernetes" / "rasa-values.yaml").read_text())
    env = {item["name"]: item for item in rasa["extraEnv"]}
    assert env["BACKCHAT_TRUSTED_PROXIES"]["value"] == "1"


def trusting(cert: Path) -> ssl.SSLContext:
    """A client TLS context that trusts the test's self-signed certificate."""
    return ssl.create_default_context(cafile=str(cert))
