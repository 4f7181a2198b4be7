#!/bin/bash
# CI step before `npm run test:vm`: installs Vagrant + vagrant-libvirt + libvirt + qemu (no
# systemd: the -sysv package avoids pulling it) and builds or reuses the test box under
# $PLAY_VAGRANT_CACHE (default /var/cache/play-vagrant; keep this directory between CI runs).
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
PKGS="vagrant vagrant-libvirt libvirt-daemon-system libvirt-daemon-system-sysv qemu-system-x86 qemu-utils debootstrap"
t0=$(date +%s)
n=$(dpkg-query -W -f='${Status}\n' $PKGS 2>/dev/null | grep -c 'install ok installed' || true)
if [ "$n" -eq 7 ]; then
  echo "packages: already installed"
else
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -q
  apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends $PKGS
fi
t1=$(date +%s); echo "TIME apt_s=$((t1-t0))"
"$HERE/ensure-box.sh"
t2=$(date +%s); echo "TIME box_s=$((t2-t1))"
