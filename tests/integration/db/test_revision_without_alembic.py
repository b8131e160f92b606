"""Whether a database is at head is answered without Alembic (which would stay in every server process),
and the answer is Alembic's own."""

from __future__ import annotations

import subprocess
import sys

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from memo_coach.db import migrate
from memo_coach.db.engine import make_engine


def test_head_and_current_revision_agree_with_alembic(database_url, tmp_path):
    assert migrate.head_revision() == ScriptDirectory.from_config(migrate._config()).get_current_head()
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            assert migrate.current_revision(engine) == MigrationContext.configure(conn).get_current_revision()
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        assert migrate.current_revision(empty) is None
    finally:
        empty.dispose()


def test_initialising_an_up_to_date_database_does_not_load_alembic(sqlite_url, tmp_path):
    code = (
        "import sys\n"
        "from memo_coach.bootstrap import initialise\n"
        "from memo_coach.runtime import Runtime\n"
        "from memo_coach.settings import Settings\n"
        f"initialise(Runtime(Settings(data_dir={str(tmp_path)!r}, database_url={sqlite_url!r}, first_backup=False)))\n"
        "print(sorted(m for m in ('alembic', 'mako') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
