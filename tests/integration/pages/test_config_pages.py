"""The configuration console: edit with inline validation and dry run, history, diff, rollback, approval."""

import html
import re

import pytest

from tests.support.helpers import create_user


@pytest.fixture
def database_url(sqlite_url):
    """Pages are a door over services whose tests run on both databases."""
    return sqlite_url


def form_token(page_html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_html).group(1)


def sign_in_page(client, username, password):
    token = form_token(client.get("/login").text)
    client.cookies.delete("memo_session")
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 200, response.text


def textarea(page_html: str) -> str:
    return html.unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", page_html, re.S).group(1))


def post_edit(client, name, content, action, reason="console edit", base=1):
    page = client.get(f"/admin/config/{name}/edit").text
    data = {
        "csrf_token": form_token(page),
        "content": content,
        "reason": reason,
        "base_version": base,
        "action": action,
    }
    return client.post(f"/admin/config/{name}/edit", data=data, follow_redirects=False)


def test_the_editor_shows_problems_inline_and_changes_nothing(client, admin_password):
    sign_in_page(client, "admin", admin_password)
    content = textarea(client.get("/admin/config/rubric/edit").text)
    response = post_edit(client, "rubric", content.replace("total_weight: 100", "total_weight: 95"), "apply")
    assert response.status_code == 422
    assert (
        "Not valid, nothing was changed" in response.text and "<code>total_weight</code> (semantics)" in response.text
    )
    assert "v1" in client.get("/admin/config").text and "v2" not in client.get("/admin/config/rubric").text
    assert 'id="check-result"' in response.text and "#check-result" in response.text  # the answer under the buttons


def test_a_problem_is_marked_at_its_line_with_the_lines_around_it(client, admin_password):
    sign_in_page(client, "admin", admin_password)
    content = textarea(client.get("/admin/config/llm/edit").text)
    line = next(n for n, text in enumerate(content.splitlines(), 1) if text.startswith("max_retries:"))
    checked = post_edit(client, "llm", content.replace("max_retries: 2", "max_retries: many"), "check")
    assert f'<li data-line="{line}">' in checked.text and f'class="goto-line" data-line="{line}"' in checked.text
    assert re.search(rf'<span class="bad">\s*{line}  max_retries: many</span>', checked.text)
    assert 'src="/static/config-editor.js' in checked.text  # the gutter with line numbers and markers


def test_the_check_shows_the_dry_run_and_apply_writes_a_version(client, admin_password, settings):
    sign_in_page(client, "admin", admin_password)
    content = textarea(client.get("/admin/config/rubric/edit").text)
    lines = content.splitlines(keepends=True)
    weights = [i for i, line in enumerate(lines) if line.strip() == "weight: 20"]
    lines[weights[0]] = lines[weights[0]].replace("20", "5")
    lines[weights[1]] = lines[weights[1]].replace("20", "35")
    changed = "".join(lines)

    checked = post_edit(client, "rubric", changed, "check")
    assert checked.status_code == 200 and "Valid: syntax, schema and semantic checks pass" in checked.text
    assert "Dry run" in checked.text and re.search(r"[1-9] of \d+ samples would change", checked.text)

    applied = post_edit(client, "rubric", changed, "apply", reason="evidence matters more")
    assert applied.status_code == 303 and applied.headers["location"] == "/admin/config/rubric"
    history = client.get(applied.headers["location"]).text
    assert "Applied rubric version 2" in history and "evidence matters more" in history
    assert (settings.config_dir / "rubric.yaml").read_text() == changed

    diff = client.get("/admin/config/rubric/diff?from=1&to=2").text
    assert re.search(r'class="code old">\s*weight: 20<', diff) and re.search(r'class="code new">\s*weight: 5<', diff)
    # Only the change with its context, not all 200 lines; the whole file is one link away.
    assert diff.count('<tr class="diff-same">') <= 2 * 2 * 3 and "unchanged lines" in diff
    whole = client.get("/admin/config/rubric/diff?from=1&to=2&full=true").text
    assert whole.count('<tr class="diff-same">') == len(changed.splitlines()) - 2


def test_a_stale_edit_is_explained(client, admin_password):
    sign_in_page(client, "admin", admin_password)
    content = textarea(client.get("/admin/config/llm/edit").text)
    post_edit(client, "llm", content.replace("max_retries: 2", "max_retries: 3"), "apply")
    stale = post_edit(client, "llm", content.replace("max_tokens: 4000", "max_tokens: 3000"), "apply", base=1)
    assert stale.status_code == 409 and "changed since version 1" in stale.text


def test_rollback_from_the_history(client, admin_password):
    sign_in_page(client, "admin", admin_password)
    content = textarea(client.get("/admin/config/llm/edit").text)
    post_edit(client, "llm", content.replace("max_retries: 2", "max_retries: 3"), "apply")
    page = client.get("/admin/config/llm").text
    data = {"csrf_token": form_token(page), "number": 1, "reason": "undo"}
    response = client.post("/admin/config/llm/rollback", data=data)
    assert response.status_code == 200 and "Applied llm version 3" in response.text
    assert textarea(client.get("/admin/config/llm/edit").text) == content


def test_a_second_admin_approves_a_proposal(client, admin_password, admin_headers):
    create_user(client, admin_headers, "second", "admin")
    sign_in_page(client, "admin", admin_password)
    auth = textarea(client.get("/admin/config/auth/edit").text)
    post_edit(client, "auth", auth.replace("require_approval: false", "require_approval: true"), "apply")
    llm = textarea(client.get("/admin/config/llm/edit").text)
    proposed = post_edit(client, "llm", llm.replace("temperature: 0.2", "temperature: 0.3"), "apply")
    assert "a different admin must approve it" in client.get(proposed.headers["location"]).text

    sign_in_page(client, "second", "pw-second-long-enough")
    overview = client.get("/admin/config").text
    pid = re.search(r"/admin/config/proposals/(\d+)/approve", overview).group(1)
    approved = client.post(f"/admin/config/proposals/{pid}/approve", data={"csrf_token": form_token(overview)})
    assert "Applied llm version 2" in approved.text


def test_a_refused_file_on_disk_is_shown_in_the_console(client, app, admin_password, settings):
    sign_in_page(client, "admin", admin_password)
    path = settings.config_dir / "auth.yaml"
    path.write_text(path.read_text().replace("session_hours: 12", "session_hours: nope"))
    app.state.runtime.config_watcher.check()
    page = client.get("/admin/config").text
    assert "Configuration unhealthy" in page and "auth.yaml" in page and "session_hours" in page


def test_export_and_import_from_the_console(client, admin_password):
    sign_in_page(client, "admin", admin_password)
    exported = client.get("/admin/config/export")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"
    content = textarea(client.get("/admin/config/llm/edit").text)
    post_edit(client, "llm", content.replace("max_retries: 2", "max_retries: 3"), "apply")

    token = form_token(client.get("/admin/config").text)
    files = {"file": ("config.zip", exported.content, "application/zip")}
    response = client.post("/admin/config/import", data={"csrf_token": token, "reason": "restore"}, files=files)
    assert response.status_code == 200 and "Applied llm version 3" in response.text
    assert textarea(client.get("/admin/config/llm/edit").text) == content
