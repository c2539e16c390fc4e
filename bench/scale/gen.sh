#!/bin/bash
# The labs of bench/scale:
#   gen.sh star N          N nodes on one bridge br0 of node sw (bench/lab/gen.sh's lab, 10.1.0.0/16)
#   gen.sh fabric L H      a spine router, L leaf routers, each with a bridge of H hosts (10.L.0.H/24),
#                          leaf uplinks 172.16.x.y/30 to the spine, static routes; L*H + L + 1 nodes
#   gen.sh chain N         N routers in a line, each link a /30 (verify checks every link)
set -e
case "$1" in
star) exec "$(dirname "$0")/../lab/gen.sh" "$2" ;;
fabric)
  L=$2; H=$3
  printf 'name: fabric\nnodes:\n  spine:\n    forwarding: true\n    routes:\n'
  for ((l = 0; l < L; l++)); do printf '      - {dst: 10.%d.%d.0/24, via: 172.16.%d.%d}\n' $((l / 250)) $((l % 250)) $((l / 64)) $((l % 64 * 4 + 2)); done
  for ((l = 0; l < L; l++)); do
    printf '  leaf%d:\n    forwarding: true\n    routes: [{dst: default, via: 172.16.%d.%d}]\n    interfaces:\n      br0:\n        kind: bridge\n        addresses: [10.%d.%d.254/24]\n        ports: [' \
      $l $((l / 64)) $((l % 64 * 4 + 1)) $((l / 250)) $((l % 250))
    for ((h = 0; h < H; h++)); do [ $h -gt 0 ] && printf ', '; printf 'p%d' $h; done
    printf ']\n'
  done
  for ((l = 0; l < L; l++)); do for ((h = 0; h < H; h++)); do
    printf '  h%d-%d:\n    routes: [{dst: default, via: 10.%d.%d.254}]\n' $l $h $((l / 250)) $((l % 250))
  done; done
  printf 'links:\n'
  for ((l = 0; l < L; l++)); do
    printf '  - ends: [{at: spine:l%d, addresses: [172.16.%d.%d/30]}, {at: leaf%d:up, addresses: [172.16.%d.%d/30]}]\n' \
      $l $((l / 64)) $((l % 64 * 4 + 1)) $l $((l / 64)) $((l % 64 * 4 + 2))
    for ((h = 0; h < H; h++)); do
      printf '  - ends: [leaf%d:p%d, {at: h%d-%d:eth0, addresses: [10.%d.%d.%d/24]}]\n' $l $h $l $h $((l / 250)) $((l % 250)) $((h + 1))
    done
  done
  # routed: the first host of the first leaf reaches the first host of the last, through leaf, spine, leaf
  printf 'expect:\n  - h0-0 reaches h%d-0\n' $((L - 1))
  ;;
chain)
  N=$2
  printf 'name: chain\nnodes:\n'
  for ((i = 0; i < N; i++)); do printf '  r%d: {forwarding: true}\n' $i; done
  printf 'links:\n'
  for ((i = 0; i + 1 < N; i++)); do
    printf '  - ends: [{at: r%d:right, addresses: [10.%d.%d.%d/30]}, {at: r%d:left, addresses: [10.%d.%d.%d/30]}]\n' \
      $i $((i / 16384)) $((i / 64 % 256)) $((i % 64 * 4 + 1)) $((i + 1)) $((i / 16384)) $((i / 64 % 256)) $((i % 64 * 4 + 2))
  done
  ;;
*) echo "usage: gen.sh star N | fabric LEAVES HOSTS | chain N" >&2; exit 2 ;;
esac
