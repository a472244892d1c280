from django.urls import path

from .tokens import TokenCreateView, TokenRevokeAllView, TokenRevokeView

urlpatterns = [
    path("token/", TokenCreateView.as_view(), name="auth-token"),
    path("logout/", TokenRevokeView.as_view(), name="auth-logout"),
    path("logoutall/", TokenRevokeAllView.as_view(), name="auth-logoutall"),
]
