"""The real app under uvicorn on a loopback port, in a background thread, for browsers and benchmarks."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from memo_coach.auth.roles import Role
from memo_coach.db.engine import make_engine, make_session_factory, session_scope
from memo_coach.settings import Settings
from memo_coach.web.app import create_app
from tests.support.helpers import initialise, make_settings, settled_user

WRITER_PASSWORD = "writer-password-long-enough"


class LiveServer:
    """Starts create_app(settings) with uvicorn; `url` is where a browser reaches it."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.admin_password = initialise(settings).admin_password
        self.app = create_app(settings)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        config = uvicorn.Config(self.app, log_level="warning", ws="none", lifespan="on", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, name="live-server", daemon=True
        )

    def start(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the app did not start within 15 s")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def add_writer(self, username: str, role: Role = Role.writer) -> str:
        """Creates an account (a writer unless `role` says otherwise) through the service, as an admin
        would, and returns the password."""
        engine = make_engine(self.settings.sqlalchemy_url)
        try:
            with session_scope(make_session_factory(engine)) as session:
                settled_user(session, username, role, WRITER_PASSWORD)
        finally:
            engine.dispose()
        return WRITER_PASSWORD


def live_server(tmp_path: Path, **overrides) -> LiveServer:
    return LiveServer(make_settings(tmp_path, f"sqlite:///{tmp_path / 'live.db'}", **overrides)).start()
