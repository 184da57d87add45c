"""Django's error views, answering with the error envelope instead of HTML."""

from django.utils.translation import gettext as _

from hrm2.api.envelope import error_response


def error_400(request, exception=None):
    return error_response(400, _("Bad request"))


def error_403(request, exception=None):
    return error_response(403, _("You do not have permission to do this"))


def error_404(request, exception=None):
    return error_response(404, _("Not found"))


def error_500(request):
    return error_response(500, _("Internal server error"))
