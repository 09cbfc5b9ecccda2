"""Password rules beyond Django's own validators."""

from django.core.exceptions import ValidationError


class NotBlankPasswordValidator:
    """Ten spaces pass a length check; a password must contain something other than white space."""

    def validate(self, password: str, user=None) -> None:
        if not password.strip():
            raise ValidationError("Hasło nie może składać się z samych spacji.", code="password_blank")

    def get_help_text(self) -> str:
        return "Hasło nie może składać się z samych spacji."
