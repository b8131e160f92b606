"""Every file under deploy/ is accepted by the program that reads it, as an operator would check it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.tools import require_tool

REPO = Path(__file__).resolve().parents[3]
DEPLOY = REPO / "deploy"


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60, **kwargs)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Path:
    """A self-signed PEM with chain and key, the shape HAProxy's `crt` wants (deploy/tls/README.md)."""
    openssl = require_tool("openssl", "openssl")
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    made = run(
        openssl,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-keyout",
        str(key),
        "-out",
        str(cert),
    )
    assert made.returncode == 0, made.stderr
    pem = folder / "memo-coach.pem"
    pem.write_text(cert.read_text() + key.read_text())
    return pem


def test_haproxy_accepts_its_configuration(certificate):
    haproxy = require_tool("haproxy", "haproxy")
    checked = run(haproxy, "-c", "-f", str(DEPLOY / "haproxy" / "haproxy.cfg"), env={"MEMO_TLS_CERT": str(certificate)})
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_haproxy_refuses_the_configuration_without_its_certificate(tmp_path):
    """The check above would pass on any file if haproxy ignored the certificate; it does not."""
    haproxy = require_tool("haproxy", "haproxy")
    checked = run(
        haproxy, "-c", "-f", str(DEPLOY / "haproxy" / "haproxy.cfg"), env={"MEMO_TLS_CERT": str(tmp_path / "none.pem")}
    )
    assert checked.returncode != 0


def test_systemd_accepts_the_units(tmp_path):
    analyze = require_tool("systemd-analyze", "systemd")
    venv_bin = Path(sys.executable).parent  # where `memo-coach` is installed
    for unit in (DEPLOY / "systemd").glob("*.service"):
        # The units name the install prefix /opt/memo-coach; point them at this checkout's virtualenv.
        text = unit.read_text().replace("/opt/memo-coach/.venv/bin", str(venv_bin))
        (tmp_path / unit.name).write_text(text)
    units = sorted(str(p) for p in tmp_path.glob("*.service"))
    assert len(units) == 2
    checked = run(analyze, "verify", *units)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_prometheus_accepts_its_configuration(tmp_path):
    promtool = require_tool("promtool", "prometheus")
    shutil.copy(DEPLOY / "prometheus" / "prometheus.yml", tmp_path)
    (tmp_path / "memo-coach-metrics-token").write_text("token\n")
    checked = run(promtool, "check", "config", str(tmp_path / "prometheus.yml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_alertmanager_accepts_its_configuration():
    amtool = require_tool("amtool", "prometheus-alertmanager")
    checked = run(amtool, "check-config", str(DEPLOY / "alertmanager" / "alertmanager.yml"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
