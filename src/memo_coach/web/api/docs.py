"""Interactive API docs with Swagger UI served by the app itself: no CDN, works offline."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from swagger_ui_bundle import swagger_ui_path

from memo_coach.web.deps import PUBLIC

ASSETS_URL = "/static/swagger"
ASSETS_DIR = swagger_ui_path
router = APIRouter(include_in_schema=False)


@router.get("/docs", dependencies=[Depends(PUBLIC)])
def swagger_ui():
    """No inline script: the start-up call is /static/swagger-init.js, so the strict CSP holds here too."""
    return HTMLResponse(PAGE)


PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Memo AI Coach API</title>
<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">
<link rel="icon" href="{ASSETS_URL}/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script>
</body></html>
"""
