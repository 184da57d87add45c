"""URL table: the seeds' prefixes at the root, the OpenAPI under /api/, Django admin aside."""

from django.contrib import admin
from django.urls import include, path

from hrm2 import health, privacy
from hrm2.accounts.api import router as auth_router
from hrm2.accounts.api import users_router
from hrm2.api.main import api
from hrm2.audit.api import router as audit_router
from hrm2.error_pages import error_400, error_403, error_404, error_500
from hrm2.interviews.api import router as interviews_router
from hrm2.jobs.api import router as jobs_router
from hrm2.positions.api import router as positions_router
from hrm2.recommend.api import router as recommend_router
from hrm2.resumes.api import router as resumes_router
from hrm2.screening.api import router as screening_router
from hrm2.videos.api import link_router as video_link_router
from hrm2.videos.api import router as videos_router

api.add_router("/auth/", auth_router)
api.add_router("/users/", users_router)
api.add_router("/health/", health.router)
api.add_router("/jobs/", jobs_router)
api.add_router("/position-settings/", positions_router)
api.add_router("/resume-screening/", resumes_router)
api.add_router("/resume-screening/", screening_router)
api.add_router("/resume-screening/", video_link_router)
api.add_router("/resume-screening/", privacy.router)
api.add_router("/video-analysis/", videos_router)
api.add_router("/admin/v2/evaluation/", audit_router)
api.add_router("/interview-assist/", interviews_router)
api.add_router("/final-recommend/", recommend_router)

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("console/", include("hrm2.console.urls")),
    path("", api.urls),
]

handler400 = error_400
handler403 = error_403
handler404 = error_404
handler500 = error_500
