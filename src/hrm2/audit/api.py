"""/admin/v2/evaluation/ (also spelled /admin/v2/evaluations/): the evaluation-audit API."""

from ninja import Router

from hrm2.api.auth import require

router = Router(tags=["evaluation-audit"], auth=require())
