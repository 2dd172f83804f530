#!/bin/sh
# Installs the Debian packages Rekey's tests run against (real tools, not mocks).
# Idempotent: installs only what is missing; uses sudo when not run as root.
set -eu

PACKAGES="
argon2
openssh-client
openssh-server
bsdutils
procps
chromium
fonts-dejavu-core
"

missing=""
for package in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done

if [ -z "$missing" ]; then
  echo "test dependencies: all present"
  exit 0
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

echo "test dependencies: installing$missing"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
