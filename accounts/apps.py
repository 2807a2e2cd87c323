from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self):
        # Sign-in signal receivers (session clocks, sign-in as confirmation) must be connected
        # before the first sign-in, not when the middleware first loads.
        from ppir import security, security_middleware  # noqa: F401
