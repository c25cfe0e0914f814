"""The reference's controllers: JWT-protected (header, HS256) and public."""

from django.conf import settings

from dmr import Controller
from dmr.plugins.msgspec import MsgspecSerializer
from dmr.security.jwt import JWTSyncAuth


class JwtController(Controller[MsgspecSerializer]):
    # The Rust demo's token carries `sub = admin`: look the user up by username.
    auth = (
        JWTSyncAuth(user_id_field='username', secret=settings.DEMO_JWT_SECRET),
    )

    def get(self) -> str:
        return self.request.user.username


class PublicController(Controller[MsgspecSerializer]):
    auth = None

    def get(self) -> str:
        return 'public'
