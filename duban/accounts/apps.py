from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "duban.accounts"
    label = "accounts"
    verbose_name = _("用户与权限")

    def ready(self):
        import time

        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from .middleware import LAST_SEEN
        from .services import revoke_api_tokens

        def _start_idle_clock(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                request.session[LAST_SEEN] = time.time()

        user_logged_in.connect(_start_idle_clock, dispatch_uid="accounts_start_idle_clock", weak=False)

        def _revoke_on_logout(sender, request, user, **kwargs):
            # Logging out shuts every door the user opened, the API tokens included (等保 2.0).
            if user is not None:
                revoke_api_tokens(user)

        user_logged_out.connect(
            _revoke_on_logout, dispatch_uid="accounts_revoke_tokens_on_logout", weak=False
        )
