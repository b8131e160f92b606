"""The web door: the JSON API (`api/`), the server-rendered pages (`pages/`, `templates/`, `static/`)
and the health endpoints, all on one app built by `app.create_app`."""
