"""Running wrk (a separate load generator process) and reading its latency percentiles."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

# wrk's Lua hook prints a JSON summary we can parse, instead of scraping its human report.
SCRIPT = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{headers}
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
               + summary.errors.status + summary.errors.timeout
  io.write("JSON" .. string.format(
    '{{"requests": %d, "duration_s": %f, "errors": %d, "non_2xx": %d, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f, "max_ms": %f}}',
    summary.requests, summary.duration / 1e6, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000) .. "\\n")
end
"""


def lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def run_wrk(
    url: str,
    *,
    connections: int,
    seconds: int,
    method: str = "GET",
    body: str = "",
    headers: dict[str, str] | None = None,
    threads: int = 2,
) -> dict:
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    header_lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in (headers or {}).items())
    script = SCRIPT.format(method=method, body=lua_string(body) if body else "nil", headers=header_lines)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", f.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        Path(f.name).unlink()
    summary = json.loads(re.search(r"^JSON(.*)$", out, re.M).group(1))
    summary["rps"] = round(summary["requests"] / summary["duration_s"], 1)
    summary["connections"] = connections
    return summary
