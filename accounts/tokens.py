from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Single-use: the token stops working once the address is confirmed, or when a later sign-up of the same
    unconfirmed address replaces the password (so only the newest link works)."""

    key_salt = "accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.password}{user.email_confirmed_at}{user.is_active}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
