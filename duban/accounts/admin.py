"""The Django admin site holds configuration for the system administrator only (三员分立): the security
records and credentials of other accounts (django-axes' lockouts and access logs, API tokens,
authenticators) are the security administrator's, on the platform's own pages, and are not listed
there. (django-axes' own admin is switched off by AXES_ENABLE_ADMIN.)"""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

for model in (AuthToken, TOTPDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
