"""Decodes the tokens on stdin (one per line) with PyJWT and the secret in argv[1], as a
Python service sharing the secret would; prints one JSON line per token: its header and its
payload. Exits 3 when PyJWT is not installed (the Rust test then skips)."""

import json
import sys

try:
    import jwt
except ImportError:
    sys.exit(3)

secret = sys.argv[1]
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    payload = jwt.decode(
        line,
        secret,
        algorithms=["HS256"],
        options={"require": ["exp", "iat", "sub", "jti"]},
    )
    header = jwt.get_unverified_header(line)
    print(json.dumps({"header": header, "payload": payload}, sort_keys=True))
