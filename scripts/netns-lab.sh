#!/usr/bin/env bash
# A real packet path on one machine: two network namespaces joined by a veth pair, no address
# anywhere, nothing reachable from outside them. `tickpath gen` sends in one namespace (DPDK
# net_af_packet on one end), `tickpath run` receives in the other (net_af_packet or net_af_xdp on
# the other end). See docs/wire.md.
#
#   scripts/netns-lab.sh up       create (idempotent: an existing lab is left as it is)
#   scripts/netns-lab.sh down     remove (deleting a namespace deletes its end of the veth)
#   scripts/netns-lab.sh status   what exists, with the commands to use it
#
# Names derive from TP_LAB (default "tp"): namespaces $TP_LAB-gen / $TP_LAB-rx, interfaces
# $TP_LAB-vgen / $TP_LAB-vrx (15 characters at most), so two labs can coexist (tests use their own).
# A second pair, $TP_LAB-vgenb / $TP_LAB-vrxb, joins the same namespaces: line B of an A/B feed
# ([ingest.lines], docs/wire.md); single-line runs leave it idle.
# Needs root (CAP_NET_ADMIN) and iproute2 (scripts/install-deps.sh).
set -euo pipefail

lab="${TP_LAB:-tp}"
ns_gen="${lab}-gen"
ns_rx="${lab}-rx"
if_gen="${lab}-vgen"
if_rx="${lab}-vrx"
if_gen_b="${lab}-vgenb"
if_rx_b="${lab}-vrxb"

die() { echo "netns-lab: $*" >&2; exit 1; }

[ ${#if_gen_b} -le 15 ] || die "TP_LAB='${lab}' is too long: interface '${if_gen_b}' exceeds 15 characters"
command -v ip >/dev/null || die "iproute2 missing: run scripts/install-deps.sh"

exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

quiet_ns() {
  # No IPv6 (no router solicitations, no neighbour discovery) and no address: the only frames on
  # the veth are the ones tickpath gen sends, so the receiver's frame count is exact.
  local ns=$1 ifname=$2
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 >/dev/null
  ip netns exec "$ns" sysctl -qw "net.ipv6.conf.${ifname}.disable_ipv6=1" >/dev/null
  ip -n "$ns" link set "$ifname" arp off
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "$ifname" up
}

usage_lines() {
  cat <<EOT
  send:    ip netns exec ${ns_gen} tickpath gen --vdev net_af_packet0,iface=${if_gen} --rate 100000 --duration 10
  receive: ip netns exec ${ns_rx} tickpath run --config config/veth.toml --set port.vdev='"net_af_packet0,iface=${if_rx}"'
  A/B:     line A on ${if_gen} -> ${if_rx}, line B on ${if_gen_b} -> ${if_rx_b} (docs/wire.md, "Two lines")
  skew:    on a shared machine, run the receiver's poll thread under SCHED_FIFO or its skew is its own
           scheduling: chrt -f -p 50 \$(ps -T -p RX_PID -o spid=,comm= | awk '\$2 ~ /tp-pmd-(hot|ingest)/{print \$1}')
EOT
}

case "${1:-}" in
  up)
    [ "$(id -u)" -eq 0 ] || die "need root (CAP_NET_ADMIN) to create network namespaces"
    if exists "$ns_gen" && exists "$ns_rx" && ip -n "$ns_rx" link show "$if_rx" >/dev/null 2>&1 \
       && ip -n "$ns_rx" link show "$if_rx_b" >/dev/null 2>&1; then
      echo "netns-lab: ${ns_gen} <-> ${ns_rx} already up"
    else
      exists "$ns_gen" || ip netns add "$ns_gen" || die "ip netns add ${ns_gen} failed (no namespace support here?)"
      exists "$ns_rx" || ip netns add "$ns_rx" || die "ip netns add ${ns_rx} failed"
      for pair in "$if_gen:$if_rx" "$if_gen_b:$if_rx_b"; do
        g="${pair%%:*}" r="${pair##*:}"
        ip -n "$ns_rx" link show "$r" >/dev/null 2>&1 && continue
        ip link add "$g" netns "$ns_gen" type veth peer name "$r" netns "$ns_rx" \
          || die "ip link add type veth failed (veth module missing?)"
        quiet_ns "$ns_gen" "$g"
        quiet_ns "$ns_rx" "$r"
      done
      echo "netns-lab: up: ${ns_gen}/${if_gen} <-> ${ns_rx}/${if_rx} (line A), ${ns_gen}/${if_gen_b} <-> ${ns_rx}/${if_rx_b} (line B); no addresses, IPv6 off"
    fi
    usage_lines
    ;;
  down)
    for ns in "$ns_gen" "$ns_rx"; do
      if exists "$ns"; then ip netns del "$ns"; fi
    done
    echo "netns-lab: down"
    ;;
  status)
    for ns in "$ns_gen" "$ns_rx"; do
      if exists "$ns"; then
        echo "== ${ns}"
        ip -n "$ns" -s link show | sed 's/^/  /'
      else
        echo "== ${ns}: absent"
      fi
    done
    usage_lines
    ;;
  *)
    echo "usage: $0 up|down|status   (TP_LAB=name for a second lab)" >&2
    exit 2
    ;;
esac
