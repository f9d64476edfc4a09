from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from accounts import audit

        user_logged_in.connect(audit.signed_in, dispatch_uid="audit-signed-in")
        user_logged_out.connect(audit.signed_out, dispatch_uid="audit-signed-out")
        user_login_failed.connect(audit.sign_in_failed, dispatch_uid="audit-sign-in-failed")
