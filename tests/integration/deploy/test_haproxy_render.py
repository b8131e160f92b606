"""The drill's copy of deploy/haproxy/haproxy.cfg differs from the operators' file only in where it
listens and where the replicas are."""

from __future__ import annotations

import difflib

import pytest

from tests.drills.haproxy import CONFIG, render


def test_only_the_listeners_and_the_replica_ports_change():
    original = CONFIG.read_text()
    rendered = render(original, 20443, 20080, [21001, 21002])
    changed = [
        line
        for line in difflib.unified_diff(original.splitlines(), rendered.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(changed) == sorted(
        [
            '-    bind :443 ssl crt "${MEMO_TLS_CERT}" alpn h2,http/1.1',
            '+    bind 127.0.0.1:20443 ssl crt "${MEMO_TLS_CERT}" alpn h2,http/1.1',
            "-    bind :80",
            "+    bind 127.0.0.1:20080",
            "-    server web1 127.0.0.1:8001 check",
            "+    server web1 127.0.0.1:21001 check",
            "-    server web2 127.0.0.1:8002 check",
            "+    server web2 127.0.0.1:21002 check",
        ]
    )


def test_a_file_of_another_shape_is_refused():
    with pytest.raises(ValueError, match="changed shape"):
        render(CONFIG.read_text(), 20443, 20080, [21001])
    with pytest.raises(ValueError, match="changed shape"):
        render(CONFIG.read_text().replace("bind :80\n", ""), 20443, 20080, [21001, 21002])
