"""Tokens for the API's tests: made through the service, as a user would."""

from omzien.api import services
from omzien.api.models import AccessToken


def token_for(user, scope=AccessToken.Scope.READ_WRITE, days=90, name="test"):
    """A token of the user and its secret."""
    return services.create_token(name=name, scope=scope, days=days, acting_user=user)


def bearer(secret) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
