#!/bin/sh
# Installs the Debian packages Rekey's tests run against (real tools, not mocks).
# Idempotent: installs only what is missing; uses sudo when not run as root.
#
# PostgreSQL and Redis are here for their programs only: the test harnesses start private
# instances on random loopback ports (test/helpers/postgres.ts, test/helpers/redis.ts). The
# install must not start the packages' system services, so while apt runs, a policy-rc.d
# (Debian's switch for "do not start services from maintainer scripts") refuses every start,
# unless the machine already has one of its own.
#
# kubectl runs against the stand-in API server of test/helpers/kube-apiserver.ts. Any kubectl
# on PATH will do (a recent one from Kubernetes' or Google's repositories owns the same
# /usr/bin/kubectl, so Debian's would conflict with it); only when there is none is Debian's
# kubernetes-client installed (v1.20 on bookworm, which the tests pass with too). openssl makes
# the stand-in's throwaway TLS certificate: kubectl sends a token to https servers only.
#
# pass and keepassxc (keepassxc-cli) read what Rekey exports and write what it imports;
# gnome-keyring, dbus and libsecret-tools give the keychain tests a real Secret Service on a
# private session bus; git and iproute2 (ss) are what the health report's host checks run.
set -eu

PACKAGES="
argon2
openssh-client
openssh-server
bsdutils
procps
chromium
fonts-dejavu-core
postgresql
redis-server
curl
gnupg
openssl
pass
keepassxc
gnome-keyring
dbus
libsecret-tools
git
iproute2
"

missing=""
for package in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done

if ! command -v kubectl >/dev/null 2>&1; then
  missing="$missing kubernetes-client"
fi

if [ -z "$missing" ]; then
  echo "test dependencies: all present"
  exit 0
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  trap 'as_root rm -f "$POLICY"' EXIT
  trap 'exit 130' INT TERM
  printf '#!/bin/sh\n# Temporary, from Rekey scripts/install-test-deps.sh: no service starts.\nexit 101\n' |
    as_root tee "$POLICY" >/dev/null
  as_root chmod 755 "$POLICY"
fi

echo "test dependencies: installing$missing"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
