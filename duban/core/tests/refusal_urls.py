"""Views that refuse in every way a service can, for the tests of the one error mapping."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from duban import urls as site_urls
from duban.core.concurrency import EditConflict
from duban.core.errors import Conflict, Invalid, NotFound, NotPermitted, TransitionRefused

ERRORS = {
    "invalid": lambda: Invalid("标题不能为空。", fields={"title": ["请填写标题。"]}),
    "denied": lambda: NotPermitted("只有督查室可以交办。"),
    "missing": lambda: NotFound(),
    "conflict": lambda: Conflict("周报已提交。"),
    "refused": lambda: TransitionRefused("当前状态不能办结。"),
    "edit-conflict": lambda: EditConflict(changes=[("办理时限", "2026-01-01", "2026-02-01")]),
    "django-invalid": lambda: ValidationError({"deadline": ["时限不能早于今天。"]}),
    "django-message": lambda: ValidationError("理由不能为空。"),
    "django-denied": lambda: PermissionDenied(),
    "bug": lambda: ZeroDivisionError("a bug"),
}


class Payload(serializers.Serializer):
    title = serializers.CharField()


class RefusingAPI(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, kind):
        if kind == "serializer":
            Payload(data=request.data).is_valid(raise_exception=True)
            return Response({})
        raise ERRORS[kind]()


def refusing_page(request, kind):
    if request.method == "POST" or request.GET.get("raise"):
        raise ERRORS[kind]()
    return HttpResponse("ok")


urlpatterns = [
    path("api/<str:kind>/", RefusingAPI.as_view()),
    path("page/<str:kind>/", refusing_page),
    *site_urls.urlpatterns,  # the pages' layout links to the real site
]
