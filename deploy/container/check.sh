#!/usr/bin/env bash
# `make image-check`: builds the container image as a deployment would and proves it serves. Makes the
# Debian base if needed (base-image.sh), builds deploy/container/Containerfile with buildah (chroot
# isolation: `podman run` fails on these machines' cgroups), starts `memo-coach serve` inside the image
# with `buildah run` on a free loopback port (the chroot shares the host's network), waits for
# /health/ready, runs the image's own HEALTHCHECK, creates a writer with the CLI inside the image,
# signs in and runs one evaluation through the API (the offline analyzer: no API key), checks the
# answer, and removes the working container. Every wait is bounded; any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGE=${IMAGE:-memo-coach:ci}
CACHE_DIR=${MEMO_COACH_IMAGE_CACHE:-/var/cache/memo-coach}
READY_SECONDS=${READY_SECONDS:-120}
STOP_SECONDS=20
export BUILDAH_ISOLATION=chroot

ctr="" server_pid="" workdir=""
step() { printf '\n== image-check: %s (%d s so far)\n' "$*" "$SECONDS"; }
fail() {
  printf '\nimage-check: FAIL: %s\n' "$*" >&2
  if [ -n "$workdir" ] && [ -s "$workdir/serve.log" ]; then
    printf -- '--- last lines of memo-coach serve in the image:\n' >&2
    tail -n 30 "$workdir/serve.log" >&2
  fi
  exit 1
}
inside() { timeout 120 buildah run --isolation chroot "$ctr" -- "$@"; }

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 "$STOP_SECONDS"); do kill -0 "$server_pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$server_pid" 2>/dev/null; then
    printf 'image-check: the server did not stop within %d s; killing it\n' "$STOP_SECONDS" >&2
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

cleanup() {
  stop_server
  [ -z "$ctr" ] || buildah rm "$ctr" >/dev/null 2>&1 || true
  [ -z "$workdir" ] || rm -rf "$workdir"
}
trap cleanup EXIT

pip_download() {
  if [ -x .venv/bin/pip ]; then .venv/bin/pip download "$@"; else python3 -m pip download "$@"; fi
}

# The locked wheels, fetched by the host's pip (which reaches the package index here; the build cannot)
# and checked against the lock's hashes again when the image installs them. Kept per lock file.
locked_wheels() {
  local dir
  dir="$CACHE_DIR/wheels-$(sha256sum requirements.lock | cut -c1-12)"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$CACHE_DIR"/wheels-*
    pip_download --quiet --no-deps --require-hashes --only-binary=:all: -r requirements.lock -d "$dir" \
      >"$workdir/pip.log" 2>&1 || { tail -n 20 "$workdir/pip.log" >&2; fail "could not download the locked wheels"; }
    touch "$dir/.complete"
  fi
  printf '%s\n' "$dir"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# JSON field of a file by a Python expression over `d` (the parsed document).
field() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

wait_ready() {
  local url=$1 deadline=$((SECONDS + READY_SECONDS))
  until curl -fsS --max-time 5 -o /dev/null "$url" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || fail "memo-coach serve ended before it was ready"
    [ "$SECONDS" -lt "$deadline" ] || fail "$url did not answer 200 within $READY_SECONDS s"
    sleep 1
  done
}

build() {
  local wheels
  step "base image"
  deploy/container/base-image.sh
  step "locked wheels"
  wheels=$(locked_wheels)
  echo "$(find "$wheels" -name '*.whl' | wc -l) wheels in $wheels"
  step "buildah bud -> $IMAGE"
  local started=$SECONDS
  buildah bud --isolation chroot --format docker --layers -v "$wheels:/wheels:ro" \
    --ignorefile deploy/container/containerignore -f deploy/container/Containerfile -t "$IMAGE" . \
    >"$workdir/build.log" 2>&1 || { tail -n 40 "$workdir/build.log" >&2; fail "buildah bud failed"; }
  echo "built in $((SECONDS - started)) s; size $(buildah images --format '{{.Size}}' "$IMAGE" | head -n 1)"
  # Images of earlier builds go (the layers this one is made of stay, and with them the cache of the
  # dependencies' layer), so repeated runs do not fill the disk.
  buildah rmi --prune >/dev/null 2>&1 || true
}

check_image_facts() {
  step "image facts"
  local uid
  uid=$(inside id -u) || fail "cannot run a command in the image"
  [ "$uid" != 0 ] || fail "the image runs as root"
  echo "runs as uid $uid"
  inside python3 -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
    || fail "the image's python3 is not 3.11"
  inside cat /usr/share/memo-coach/image-packages.txt >"$workdir/recorded.txt" || fail "no package list in the image"
  inside dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\n' >"$workdir/installed.txt"
  grep -v '^#' "$workdir/recorded.txt" | diff -q - "$workdir/installed.txt" >/dev/null \
    || fail "/usr/share/memo-coach/image-packages.txt does not match the image's dpkg database"
  grep '^# ' "$workdir/recorded.txt"
  echo "$(wc -l <"$workdir/installed.txt") Debian packages, as recorded in the image"
  inside sh -c 'for c in gcc cc c++ make; do if command -v "$c"; then exit 1; fi; done' >/dev/null \
    || fail "a compiler or make is in the final image"
  [ -z "$(inside sh -c 'ls /var/lib/apt/lists | grep -v -e "^lock$" -e "^partial$" || true')" ] \
    || fail "apt lists were left in the image"
}

start_server() {
  local port=$1
  step "memo-coach serve inside the image on 127.0.0.1:$port"
  buildah run --isolation chroot --env MEMO_COACH_HOST=127.0.0.1 --env "MEMO_COACH_PORT=$port" \
    "$ctr" -- memo-coach serve >"$workdir/serve.log" 2>&1 &
  server_pid=$!
  wait_ready "http://127.0.0.1:$port/health/ready"
  echo "/health/ready answered 200"
  # The image's own HEALTHCHECK command, as an engine would run it (with the port this run uses).
  buildah inspect --type image "$IMAGE" >"$workdir/image.json"
  mapfile -t hc < <(field "$workdir/image.json" '"\n".join(d["Docker"]["config"]["Healthcheck"]["Test"])')
  [ "${hc[0]:-}" = CMD ] && [ "${#hc[@]}" -gt 1 ] || fail "the image has no HEALTHCHECK CMD"
  hc=("${hc[@]:1}")
  timeout 30 buildah run --isolation chroot --env "MEMO_COACH_PORT=$port" "$ctr" -- "${hc[@]}" \
    || fail "the image's HEALTHCHECK failed while /health/ready answered"
  echo "HEALTHCHECK passed"
}

evaluate_once() {
  local base=$1 first second token code
  step "a writer signs in and submits one memo"
  first="Ci-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')-a1"
  second="Ci-$(head -c 18 /dev/urandom | base64 | tr -d '/+=')-b2"
  inside memo-coach users create ci-writer --role writer --password "$first" || fail "users create failed"
  inside memo-coach users change-password ci-writer --current "$first" --new "$second" \
    || fail "users change-password failed"
  python3 -c 'import json, sys; print(json.dumps({"username": "ci-writer", "password": sys.argv[1]}))' \
    "$second" >"$workdir/login.json"
  code=$(curl -sS --max-time 15 -o "$workdir/session.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data @"$workdir/login.json" "$base/api/v1/auth/login") || fail "sign-in request failed"
  [ "$code" = 200 ] || fail "sign-in answered $code: $(cat "$workdir/session.json")"
  token=$(field "$workdir/session.json" 'd["data"]["session_token"]')
  python3 -c 'import json, sys; print(json.dumps({"text_content": open(sys.argv[1]).read()}))' \
    src/memo_coach/coaching/samples/budget-request-strong.md >"$workdir/memo.json"
  code=$(curl -sS --max-time 90 -o "$workdir/evaluation.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -H "X-Session-Token: $token" -H "Idempotency-Key: image-check-$RANDOM$RANDOM" \
    --data @"$workdir/memo.json" "$base/api/v1/evaluations/submit") || fail "submit request failed"
  [ "$code" = 201 ] || fail "submit answered $code: $(head -c 500 "$workdir/evaluation.json")"
  field "$workdir/evaluation.json" '"completed" if d["data"]["status"] == "completed" else ""' | grep -qx completed \
    || fail "the evaluation is not completed: $(head -c 500 "$workdir/evaluation.json")"
  field "$workdir/evaluation.json" '"ok" if isinstance(d["data"]["overall_score"], (int, float)) and d["data"]["rubric_scores"] and not d["data"]["error"] else ""' \
    | grep -qx ok || fail "the evaluation has no score: $(head -c 500 "$workdir/evaluation.json")"
  echo "evaluation $(field "$workdir/evaluation.json" 'd["data"]["id"]'): completed by $(field "$workdir/evaluation.json" 'd["data"]["provider"]'), overall score $(field "$workdir/evaluation.json" 'd["data"]["overall_score"]'), $(field "$workdir/evaluation.json" 'len(d["data"]["rubric_scores"])') rubric scores"
}

main() {
  for tool in buildah mmdebstrap curl python3; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (apt-get install buildah mmdebstrap curl)"
  done
  workdir=$(mktemp -d)
  build
  ctr=$(buildah from --quiet "$IMAGE")
  check_image_facts
  local port
  port=$(free_port)
  start_server "$port"
  evaluate_once "http://127.0.0.1:$port"
  step "stop"
  stop_server
  echo "image-check: OK in $SECONDS s"
}

main "$@"
