"""/interview-assist/: interview sessions, questions, answers and reports."""

from ninja import Router

from hrm2.api.auth import require

router = Router(tags=["interview-assist"], auth=require())
