"""The API docs and every page asset come from the app: nothing is fetched from another host."""

import re

from tests.support.helpers import REPO

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def test_swagger_ui_loads_only_its_own_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200 and not EXTERNAL.search(page.text)
    for asset in re.findall(r"""(?:src|href)=['"](/static/[^'"]+)""", page.text):
        assert client.get(asset).status_code == 200, asset


def test_no_template_loads_anything_from_another_host():
    web = REPO / "src" / "memo_coach" / "web"
    offenders = [p.name for p in (web / "templates").rglob("*.html") if EXTERNAL.search(p.read_text())]
    offenders += [p.name for p in (web / "static").rglob("*.css") if re.search(r"url\(\s*['\"]?https?:", p.read_text())]
    assert offenders == []
