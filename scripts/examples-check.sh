#!/usr/bin/env bash
# Runs the examples as their doc comments tell a user to, as separate processes:
#
# - a startup error (a missing or short secret, a taken address) is one line on stderr and
#   exit status 1, never a debug dump;
# - `jwt_header -- token <sub>` prints a token the running example accepts;
# - two copies of `redis_session` given the same SESSION_KEY share a login (logged in on the
#   first, recognised on the second, logged out on the second, refused on the first), and a
#   copy with another key does not know it. Needs the Redis on 127.0.0.1:6379.
#
#   scripts/examples-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -q -p dmr-examples --examples
target=$(cargo metadata -q --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
bin="$target/debug/examples"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "examples-check: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# expect_startup_error EXPECTED_LINE ENV.. -- EXAMPLE: the example must exit 1 with exactly
# that one line on stderr and nothing on stdout.
expect_startup_error() {
  local expected=$1; shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local name=$1 status=0
  env -u JWT_SECRET -u SESSION_KEY -u TOKEN_SECRET "${envs[@]}" "$bin/$name" \
    >"$work/out" 2>"$work/err" </dev/null || status=$?
  [ "$status" = 1 ] || fail "$name: exit status $status, expected 1 ($(cat "$work/err"))"
  [ ! -s "$work/out" ] || fail "$name: printed on stdout before failing: $(cat "$work/out")"
  [ "$(wc -l <"$work/err")" = 1 ] || fail "$name: not one line: $(cat "$work/err")"
  [ "$(cat "$work/err")" = "$expected" ] || fail "$name: said '$(cat "$work/err")', expected '$expected'"
  echo "ok: $name: $expected"
}

expect_startup_error "jwt_cookie: set JWT_SECRET (32 bytes or more)" -- jwt_cookie
expect_startup_error "jwt_header: auth \`JwtAuth\` in \`auth = [..]\` of controller \`Articles\` cannot be built: the HS256 secret is 5 bytes long, shorter than the 32 bytes of its hash; use a longer random secret" \
  JWT_SECRET=short -- jwt_header
expect_startup_error "redis_session: set SESSION_KEY, the same on every server (\`openssl rand -base64 64\`)" -- redis_session
expect_startup_error "redis_session: the session key is 5 bytes long: give 64 random bytes or more in standard base64 (\`openssl rand -base64 64\`), the same on every server" \
  SESSION_KEY=c2hvcnQ= -- redis_session
taken=$(free_port)
python3 -c "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', $taken)); s.listen(); time.sleep(30)" &
pids+=($!)
sleep 0.5
expect_startup_error "basic: cannot listen on 127.0.0.1:$taken (DMR_EXAMPLE_ADDR): Address already in use (os error 98)" \
  DMR_EXAMPLE_ADDR=127.0.0.1:$taken -- basic

# start NAME PORT ENV..: starts an example and waits until it listens
start() {
  local name=$1 port=$2; shift 2
  env "$@" DMR_EXAMPLE_ADDR=127.0.0.1:$port "$bin/$name" >"$work/$name-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  fail "$name did not listen on $port: $(cat "$work/$name-$port.log")"
}

# the token walk-through of jwt_header
export JWT_SECRET=$(head -c 32 /dev/urandom | base64)
port=$(free_port)
start jwt_header "$port"
TOKEN=$("$bin/jwt_header" token 42)
body=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/api/articles/")
[ "$body" = '["first article of 42"]' ] || fail "jwt_header with its own token: $body"
echo "ok: jwt_header accepts the token it printed"

if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  [ "${DMR_REQUIRE_REDIS:-}" != 1 ] || fail "Redis is required (DMR_REQUIRE_REDIS=1) but nothing listens on 127.0.0.1:6379"
  echo "SKIPPED two redis_session servers: no Redis on 127.0.0.1:6379"
  exit 0
fi
key=$(head -c 64 /dev/urandom | base64 -w0)
other=$(head -c 64 /dev/urandom | base64 -w0)
a=$(free_port); b=$(free_port); c=$(free_port)
export USERS_DB="$work/users.sqlite3"
start redis_session "$a" SESSION_KEY="$key"
start redis_session "$b" SESSION_KEY="$key"
start redis_session "$c" SESSION_KEY="$other"
jar="$work/jar"
status() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }
[ "$(status -c "$jar" -H 'content-type: application/json' \
  -d '{"username":"ann","password":"ann-password"}' "http://127.0.0.1:$a/api/auth/login/")" = 200 ] \
  || fail "login on the first server: $(cat "$work/body")"
[ "$(status -b "$jar" "http://127.0.0.1:$b/api/account/")" = 200 ] \
  || fail "the second server does not know the session: $(cat "$work/body")"
[ "$(cat "$work/body")" = "account 1" ] || fail "the second server: $(cat "$work/body")"
[ "$(status -b "$jar" "http://127.0.0.1:$c/api/account/")" = 401 ] \
  || fail "a server with another key knows the session"
csrf=$(awk '/csrftoken/ {print $7}' "$jar")
[ "$(status -b "$jar" -X POST -H "X-CSRFToken: $csrf" "http://127.0.0.1:$b/api/auth/logout/")" = 204 ] \
  || fail "logout on the second server: $(cat "$work/body")"
[ "$(status -b "$jar" "http://127.0.0.1:$a/api/account/")" = 401 ] \
  || fail "the first server still knows a session ended on the second"
echo "ok: two redis_session servers with one SESSION_KEY share the login and the logout"
