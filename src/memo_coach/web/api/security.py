"""Security maintenance for admins: access reviews and their sign-off, the configuration review, the
compliance report, and erasure requests; and each writer's own data export and erasure request."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from memo_coach.db.base import utcnow
from memo_coach.errors import NotFound
from memo_coach.security import access_review, privacy
from memo_coach.security.compliance import compliance_report, to_markdown
from memo_coach.security.config_review import security_review
from memo_coach.security.models import AccessReview
from memo_coach.web.deps import Admin, AppSettings, DbSession, RowId, Writer
from memo_coach.web.envelope import ok

router = APIRouter(tags=["security"])
ADMIN = "/api/v1/security"


class SignOff(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = Field("", max_length=1000, description="what was checked and what was done about the findings")


@router.get(f"{ADMIN}/access-reviews")
def list_reviews(admin: Admin, db: DbSession):
    return ok([access_review.review_view(r) for r in access_review.reviews(db)])


@router.post(f"{ADMIN}/access-reviews", status_code=201)
def start_review(admin: Admin, db: DbSession):
    review = access_review.start_review(db, utcnow(), "on_demand", admin.username)
    return ok(access_review.review_view(review, full=True), status=201)


@router.get(f"{ADMIN}/access-reviews/{{review_id}}")
def show_review(review_id: RowId, admin: Admin, db: DbSession):
    review = db.get(AccessReview, review_id)
    if review is None:
        raise NotFound(f"no access review {review_id}")
    return ok(access_review.review_view(review, full=True))


@router.post(f"{ADMIN}/access-reviews/{{review_id}}/sign-off")
def sign_off(review_id: RowId, body: SignOff, admin: Admin, db: DbSession):
    return ok(access_review.review_view(access_review.sign_off(db, review_id, admin, body.note)))


@router.get(f"{ADMIN}/configuration-review")
def configuration_review(admin: Admin, db: DbSession, settings: AppSettings):
    return ok(security_review(db, settings))


@router.get(
    f"{ADMIN}/compliance-report",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/markdown": {}}}},
)
def compliance(admin: Admin, db: DbSession, format: Literal["json", "markdown"] = "json"):
    report = compliance_report(db, utcnow())
    if format == "markdown":
        return Response(to_markdown(report), media_type="text/markdown")
    return ok(report)


@router.get(f"{ADMIN}/erasure-requests")
def erasure_requests(admin: Admin, db: DbSession):
    return ok([privacy.erasure_view(r) for r in privacy.pending_erasures(db)])


@router.post(f"{ADMIN}/erasure-requests/{{request_id}}/carry-out")
def carry_out(request_id: RowId, admin: Admin, db: DbSession):
    return ok(privacy.erasure_view(privacy.carry_out_erasure(db, request_id, actor=admin.username)))


@router.get("/api/v1/account/export")
def export_own_data(user: Writer, db: DbSession):
    """Everything stored about the signed-in account, as JSON."""
    return ok(privacy.export_user_data(db, user, actor=user.username))


@router.post("/api/v1/account/erasure", status_code=202)
def request_erasure(user: Writer, db: DbSession):
    """Asks for the account's data to be erased; an admin carries it out."""
    return ok(privacy.erasure_view(privacy.request_erasure(db, user)), status=202)
