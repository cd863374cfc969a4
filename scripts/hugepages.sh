#!/usr/bin/env bash
# Reserve, release or show hugepages for tickpath (root). The DPDK equivalent is
# `dpdk-hugepages.py --setup 1G` / `--clear` / `--show`.
#   scripts/hugepages.sh reserve [PAGES]   default 512 x 2 MiB = 1 GiB, mounts /dev/hugepages
#   scripts/hugepages.sh release           frees every default-size page (and DPDK's leftovers)
#   scripts/hugepages.sh show
set -euo pipefail

cmd=${1:-show}
pages=${2:-512}
mount_point=/dev/hugepages

need_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "hugepages.sh: '$cmd' needs root (it writes /proc/sys/vm/nr_hugepages)" >&2
    exit 1
  fi
}

show() {
  grep -E '^(HugePages_Total|HugePages_Free|Hugepagesize)' /proc/meminfo
  grep hugetlbfs /proc/mounts || echo "no hugetlbfs mount"
}

case "$cmd" in
  reserve)
    need_root
    if ! grep -qs " $mount_point hugetlbfs " /proc/mounts && ! grep -qs hugetlbfs /proc/mounts; then
      mkdir -p "$mount_point"
      mount -t hugetlbfs nodev "$mount_point"
    fi
    echo "$pages" > /proc/sys/vm/nr_hugepages
    got=$(awk '/^HugePages_Total/ {print $2}' /proc/meminfo)
    if [[ "$got" -lt "$pages" ]]; then
      echo "hugepages.sh: asked for $pages pages, the kernel gave $got (memory fragmented?)" >&2
    fi
    show
    ;;
  release)
    need_root
    # Files a crashed DPDK process left behind keep their pages reserved.
    for m in $(awk '$3 == "hugetlbfs" {print $2}' /proc/mounts); do
      find "$m" -maxdepth 1 -name '*map_*' -delete 2>/dev/null || true
    done
    echo 0 > /proc/sys/vm/nr_hugepages
    show
    ;;
  show) show ;;
  *) echo "usage: $0 reserve [PAGES] | release | show" >&2; exit 2 ;;
esac
