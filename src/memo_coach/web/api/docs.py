"""Interactive API docs with Swagger UI served by the app itself: no CDN, works offline."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.openapi.docs import get_swagger_ui_html
from swagger_ui_bundle import swagger_ui_path

from memo_coach.web.deps import PUBLIC

ASSETS_URL = "/static/swagger"
ASSETS_DIR = swagger_ui_path
router = APIRouter(include_in_schema=False)


@router.get("/docs", dependencies=[Depends(PUBLIC)])
def swagger_ui():
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Memo AI Coach API",
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
    )
