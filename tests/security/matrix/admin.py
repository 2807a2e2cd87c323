"""The rule for every /admin/ URL (admin:*): officers and superusers get in, everyone else is
sent to sign in (admin's own redirect; signed-in non-staff are then refused at its login).

The test samples the admin index and every registered model's changelist. Officers see the
programme's own models; the sign-in machinery (groups, e-mail addresses, authenticators,
lockout records) is for superusers only: an officer has no business resetting someone's
second factor or reading sign-in attempts."""

ADMIN_SUPERUSER_ONLY_APPS = {"auth", "account", "mfa", "axes"}
