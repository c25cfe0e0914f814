"""Makes dmr_016_tokens.json: tokens laid out as django-modern-rest 0.16's obtain view issues
them (`ObtainTokensSyncController`: `JWToken(...).encode(secret, "HS256")` through PyJWT), with
an `exp` far in the future so the fixtures stay valid.

The reference's claim layout: every non-null field of `JWToken` in the order sub, exp, iat,
iss, aud, jti, extras; `exp` / `iat` as integer seconds; `jti` a uuid4 hex; `extras` always a
nested object, `{"type": "access"}` or `{"type": "refresh"}`; header `{"alg":"HS256","typ":"JWT"}`.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install pyjwt
    /tmp/venv/bin/python tests/interop/make_fixtures.py > tests/interop/dmr_016_tokens.json
"""

import json
import uuid

import jwt

SECRET = "django-modern-rest-interop-secret-0123456789"
IAT = 1764547200  # 2025-12-01T00:00:00Z
FAR = 4102444800  # 2100-01-01T00:00:00Z


def token(kind, **claims):
    payload = {"sub": "1", "exp": FAR, "iat": IAT}
    payload.update(claims)
    payload["jti"] = uuid.uuid4().hex
    payload["extras"] = {"type": kind}
    return jwt.encode(payload, SECRET, algorithm="HS256")


fixtures = {
    "pyjwt": jwt.__version__,
    "secret": SECRET,
    "access": token("access"),
    "refresh": token("refresh"),
    "access_iss_aud": token("access", iss="me", aud=["dev", "qa"]),
    "refresh_iss_aud": token("refresh", iss="me", aud=["dev", "qa"]),
}
print(json.dumps(fixtures, indent=2))
