"""/final-recommend/: group evaluation jobs, their results, and report downloads."""

from ninja import Router

from hrm2.api.auth import require

router = Router(tags=["final-recommend"], auth=require())
