#!/usr/bin/env bash
# Installs the Debian packages Bootlab's tests and benchmarks use: real clients, reference servers,
# firmware and a browser. Needs root. Daemons are not started by the package scripts (policy-rc.d);
# tests start the reference servers themselves on loopback or inside their own network namespaces.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then echo "install-system-deps: run as root (apt-get)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
# The ARM64 lab payload (issue 16) is Debian's arm64 kernel and busybox-static, fetched with apt-get download.
dpkg --add-architecture arm64
apt-get update -q
apt-get install -y -q --no-install-recommends \
  iproute2 nftables iputils-ping procps psmisc \
  busybox-static isc-dhcp-client curl atftp atftpd tftp-hpa dnsmasq-base nginx-light \
  qemu-system-x86 qemu-utils ovmf ipxe ipxe-qemu \
  chromium fonts-dejavu-core \
  cpio xz-utils dpkg file openssl tcpdump \
  memtest86+ pxelinux syslinux-common \
  p7zip-full xorriso gpgv gnupg grub-rescue-pc debian-installer-12-netboot-amd64
# Boot matrix (issue 16): ARM64 UEFI VMs + the ARM64 iPXE cross build, Secure Boot's signed shim and GRUB.
apt-get install -y -q --no-install-recommends \
  qemu-system-arm qemu-efi-aarch64 gcc-aarch64-linux-gnu shim-signed grub-efi-amd64-signed
# iPXE image builder (issue 12): real builds in the tests (gcc, make, perl; liblzma-dev for compressed BIOS
# images; libc6-dev is only a Recommends of gcc; ISO/USB tools; the ARM64 cross compiler; git for clones).
apt-get install -y -q --no-install-recommends \
  gcc libc6-dev make perl liblzma-dev mtools isolinux syslinux-common xorriso gcc-aarch64-linux-gnu git
# Desktop (issue 17): makensis compiles the installer's firewall include; setcap/getcap for the first-run grant test.
apt-get install -y -q --no-install-recommends nsis libcap2-bin
# tftpd-hpa conflicts with atftpd as a package (both claim the tftp service), but the benchmark wants both
# servers: unpack tftpd-hpa's in.tftpd beside the system instead of installing it.
ref=/opt/bootlab-ref/tftpd-hpa
if [ ! -x "$ref/usr/sbin/in.tftpd" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download -q tftpd-hpa)
  mkdir -p "$ref" && dpkg-deb -x "$tmp"/tftpd-hpa_*.deb "$ref"
  rm -rf "$tmp"
fi
