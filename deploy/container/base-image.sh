#!/usr/bin/env bash
# Makes localhost/debian-bookworm-base, the base of deploy/container/Containerfile, from Debian's own
# packages: no image registry is reachable from the machines this project builds on, so the base is
# made here with mmdebstrap (minbase + Python 3.11) instead of pulled.
#
# The root file system is cached as a tarball outside the checkout and reused while younger than
# MAX_AGE_DAYS, so CI does not fetch ~40 MB of packages on every run; an older one is rebuilt, which is
# also how the base picks up Debian's security updates (bookworm-security is one of its sources).
set -euo pipefail

IMAGE=${BASE_IMAGE:-localhost/debian-bookworm-base}
CACHE_DIR=${MEMO_COACH_IMAGE_CACHE:-/var/cache/memo-coach}
MAX_AGE_DAYS=${BASE_MAX_AGE_DAYS:-7}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
PACKAGES=python3,python3-venv,ca-certificates
# Manual pages, translations and documentation are left out of the image (copyright files stay);
# usrmerge would pull in Perl (20 MB), so the merged /usr is made by mmdebstrap's own hook instead.
DPKG_OPTS=(
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
)

say() { printf 'base-image: %s\n' "$*" >&2; }

newest_fresh_tarball() {
  find "$CACHE_DIR" -maxdepth 1 -name 'base-*.tar' -mtime "-$MAX_AGE_DAYS" -printf '%T@ %p\n' 2>/dev/null \
    | sort -rn | head -n 1 | cut -d' ' -f2-
}

make_tarball() {
  local tarball="$CACHE_DIR/base-$(date -u +%Y%m%d-%H%M%S).tar" created
  created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  say "running mmdebstrap (minbase bookworm + $PACKAGES) into $tarball"
  # The hook records when the packages were fetched: the image's package list carries it, and the
  # technology review reports the base's age from it.
  mmdebstrap --quiet --variant=minbase --format=tar --include="$PACKAGES" "${DPKG_OPTS[@]}" \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --customize-hook="printf 'base-created: %s\nsuite: bookworm\n' '$created' > \"\$1/etc/memo-coach-base\"" \
    bookworm "$tarball.part" \
    "deb $MIRROR bookworm main" \
    "deb $MIRROR bookworm-updates main" \
    "deb $SECURITY_MIRROR bookworm-security main"
  mv "$tarball.part" "$tarball"
  find "$CACHE_DIR" -maxdepth 1 -name 'base-*.tar' ! -path "$tarball" -delete  # keep only the newest
  printf '%s\n' "$tarball"
}

imported_from() {
  buildah inspect --type image --format '{{index .ImageAnnotations "memo-coach.base-tarball"}}' "$IMAGE" 2>/dev/null || true
}

import_tarball() {
  local tarball=$1 ctr
  say "importing $tarball as $IMAGE"
  ctr=$(buildah from scratch)
  trap 'buildah rm "$ctr" >/dev/null 2>&1 || true' EXIT  # also when a step below fails
  buildah add --quiet "$ctr" "$tarball" / >/dev/null
  buildah config --env LANG=C.UTF-8 --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --cmd /bin/bash --annotation "memo-coach.base-tarball=$(basename "$tarball")" \
    --label "org.opencontainers.image.description=Debian bookworm minbase with Python 3.11, made by mmdebstrap" \
    "$ctr"
  buildah commit --quiet --rm "$ctr" "$IMAGE" >/dev/null
  trap - EXIT
}

main() {
  mkdir -p "$CACHE_DIR"
  local tarball
  tarball=$(newest_fresh_tarball)
  if [ -z "$tarball" ]; then
    tarball=$(make_tarball)
  else
    say "reusing $tarball (younger than $MAX_AGE_DAYS days)"
  fi
  if [ "$(imported_from)" = "$(basename "$tarball")" ]; then
    say "$IMAGE is already that tarball"
  else
    import_tarball "$tarball"
  fi
  say "ready: $IMAGE ($(du -h "$tarball" | cut -f1) tarball)"
}

main "$@"
