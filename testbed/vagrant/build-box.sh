#!/bin/bash
# Builds the play test box: debootstrap bookworm -> ext4 image -> qcow2 -> libvirt .box.
# Network use: Debian's archive only (the mirror apt uses). Output: $OUT/play-debian12.box
# Usage: OUT=/path build-box.sh   (ensure-box.sh calls this only when the cache is stale)
set -euo pipefail
HERE=$(dirname "$(readlink -f "$0")")
OUT=${OUT:?OUT must name the build directory}
MIRROR=${MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
ROOT=$OUT/rootfs
mkdir -p "$OUT"
t0=$(date +%s)
if [ ! -x "$ROOT/usr/sbin/sshd" ]; then
  rm -rf "$ROOT"
  debootstrap --variant=minbase \
    --include=systemd-sysv,udev,linux-image-amd64,openssh-server,sudo,iproute2,ifupdown,isc-dhcp-client,python3,ca-certificates \
    bookworm "$ROOT" "$MIRROR"
fi
t1=$(date +%s); echo "TIME debootstrap_s=$((t1-t0))"

# --- guest configuration ------------------------------------------------------
echo play-box > "$ROOT/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 play-box\n' > "$ROOT/etc/hosts"
echo '/dev/vda / ext4 defaults 0 1' > "$ROOT/etc/fstab"
# slirp answers DHCP itself; net.ifnames=0 on the kernel command line names the NIC eth0
printf 'auto lo\niface lo inet loopback\nallow-hotplug eth0\niface eth0 inet dhcp\n' > "$ROOT/etc/network/interfaces"
# the vagrant user: Vagrant's well-known insecure key (replaced at first `up`), passwordless sudo
chroot "$ROOT" bash -c 'id vagrant >/dev/null 2>&1 || useradd -m -s /bin/bash vagrant; echo vagrant:vagrant | chpasswd'
echo 'vagrant ALL=(ALL) NOPASSWD: ALL' > "$ROOT/etc/sudoers.d/vagrant"; chmod 440 "$ROOT/etc/sudoers.d/vagrant"
install -d -m 700 -o 1000 -g 1000 "$ROOT/home/vagrant/.ssh"
KEY=$(ls /usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub 2>/dev/null | head -1 || true)
[ -n "$KEY" ] || { echo "vagrant insecure public key not found (is the vagrant package installed?)" >&2; exit 1; }
install -m 600 -o 1000 -g 1000 "$KEY" "$ROOT/home/vagrant/.ssh/authorized_keys"
echo 'UseDNS no' > "$ROOT/etc/ssh/sshd_config.d/vagrant.conf"
chroot "$ROOT" systemctl enable serial-getty@ttyS0.service >/dev/null 2>&1 || true
grep -q '^virtio_net' "$ROOT/etc/initramfs-tools/modules" || printf 'virtio_pci\nvirtio_blk\nvirtio_net\next4\n' >> "$ROOT/etc/initramfs-tools/modules"
chroot "$ROOT" update-initramfs -u -k all >/dev/null
# every VM from this box must be its own host: empty machine-id (systemd makes one at first
# boot) and SSH host keys generated at first boot, not shared from the build
: > "$ROOT/etc/machine-id"; rm -f "$ROOT/var/lib/dbus/machine-id"
rm -f "$ROOT"/etc/ssh/ssh_host_*
cat > "$ROOT/etc/systemd/system/ssh-hostkeys.service" <<'UNIT'
[Unit]
Description=Generate SSH host keys at first boot
Before=ssh.service
ConditionPathExistsGlob=!/etc/ssh/ssh_host_*_key
[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A
[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/ssh-hostkeys.service "$ROOT/etc/systemd/system/multi-user.target.wants/ssh-hostkeys.service"
rm -rf "$ROOT/var/cache/apt/archives/"*.deb "$ROOT/var/lib/apt/lists/"*
cp -L "$ROOT/vmlinuz" "$OUT/vmlinuz"; cp -L "$ROOT/initrd.img" "$OUT/initrd.img"
chmod 644 "$OUT/vmlinuz" "$OUT/initrd.img"
t2=$(date +%s); echo "TIME configure_s=$((t2-t1))"

# --- disk image: a bare ext4 filesystem (root=/dev/vda), no loop or nbd mounts -------------
rm -f "$OUT/root.raw"
truncate -s 3G "$OUT/root.raw"
mkfs.ext4 -q -F -L root -d "$ROOT" "$OUT/root.raw"
qemu-img convert -c -O qcow2 "$OUT/root.raw" "$OUT/box.img"
rm -f "$OUT/root.raw"
echo '{"provider":"libvirt","format":"qcow2","virtual_size":3}' > "$OUT/metadata.json"
cp "$HERE/box-Vagrantfile.rb" "$OUT/Vagrantfile"
# plain tar: box.img is already a compressed qcow2
tar -C "$OUT" -cf "$OUT/play-debian12.box" metadata.json Vagrantfile box.img vmlinuz initrd.img
t3=$(date +%s); echo "TIME image_s=$((t3-t2)) build_total_s=$((t3-t0))"
