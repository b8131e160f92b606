"""deploy/haproxy/haproxy.cfg, the file operators install, run by a real HAProxy on loopback.

Only what cannot work on a test machine changes: the listening addresses (loopback, unprivileged free
ports) and the replicas' ports. Limits, health checks and retry rules stay as written; `render`
refuses a file whose bind or server lines it does not recognise, so it never tests another file.
"""

from __future__ import annotations

import re
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.drills.servers import free_port

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "haproxy" / "haproxy.cfg"


def render(text: str, https_port: int, http_port: int, replica_ports: list[int]) -> str:
    """The operators' file with loopback listeners and these replicas; every other line unchanged."""
    text, https = re.subn(r"^(\s*bind) :443 ", rf"\1 127.0.0.1:{https_port} ", text, flags=re.M)
    text, http = re.subn(r"^(\s*bind) :80$", rf"\1 127.0.0.1:{http_port}", text, flags=re.M)
    servers = re.findall(r"^\s*server (\S+) 127\.0\.0\.1:\d+ (.*)$", text, flags=re.M)
    if (https, http, len(servers)) != (1, 1, len(replica_ports)):
        raise ValueError(f"{CONFIG} changed shape: {https} https, {http} http binds, {len(servers)} servers")
    ports = iter(replica_ports)
    text = re.sub(r"^(\s*server \S+ 127\.0\.0\.1:)\d+ ", lambda m: f"{m.group(1)}{next(ports)} ", text, flags=re.M)
    return text


def self_signed_pem(folder: Path) -> Path:
    """Certificate chain and key in one PEM (deploy/tls/README.md), valid for 127.0.0.1."""
    key, cert, pem = folder / "key.pem", folder / "cert.pem", folder / "memo-coach.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
    subprocess.run(
        ["openssl", *request, "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    pem.write_text(cert.read_text() + key.read_text())
    pem.chmod(0o600)
    return pem


@dataclass
class HAProxy:
    haproxy: str
    folder: Path
    replica_ports: list[int]
    proc: subprocess.Popen | None = None
    https_port: int = 0

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    @property
    def certificate(self) -> Path:
        return self.folder / "cert.pem"

    def start(self, ready_within: float = 30) -> HAProxy:
        pem = self_signed_pem(self.folder)
        self.https_port = free_port()
        config = self.folder / "haproxy.cfg"
        config.write_text(render(CONFIG.read_text(), self.https_port, free_port(), self.replica_ports))
        env = {"MEMO_TLS_CERT": str(pem), "PATH": "/usr/sbin:/usr/bin:/bin"}
        checked = subprocess.run([self.haproxy, "-c", "-f", str(config)], env=env, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        log = (self.folder / "haproxy.log").open("ab")
        self.proc = subprocess.Popen([self.haproxy, "-db", "-f", str(config)], env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"haproxy exited; see {log.name}"
            try:
                if self.client().get("/health/ready").status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"HAProxy did not reach a ready replica within {ready_within} s")

    def client(self, timeout: float = 120) -> httpx.Client:
        trust = ssl.create_default_context(cafile=str(self.certificate))
        return httpx.Client(base_url=self.url, verify=trust, timeout=timeout)

    def log(self) -> str:
        return (self.folder / "haproxy.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
