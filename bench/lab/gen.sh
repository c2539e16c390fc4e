#!/bin/bash
# The lab file of BigLab.java: node sw with bridge br0 and ports p0..pN-1,
# nodes n0..nN-1 each with eth0 (10.1.x.y/16) on a veth to pI.
#   bench/lab/gen.sh N > big.yaml
N=${1:-1000}
{
  printf 'name: big\nnodes:\n  sw:\n    interfaces:\n      br0:\n        kind: bridge\n        ports: ['
  for ((i = 0; i < N; i++)); do [ $i -gt 0 ] && printf ', '; [ $i -gt 0 ] && [ $((i % 100)) = 0 ] && printf '\n          '; printf 'p%d' $i; done
  printf ']\n        addresses: [10.1.255.254/16]\n'
  for ((i = 0; i < N; i++)); do printf '  n%d:\n' $i; done
  printf 'links:\n'
  for ((i = 0; i < N; i++)); do printf '  - ends: [sw:p%d, {at: n%d:eth0, addresses: [10.1.%d.%d/16]}]\n' $i $i $((i / 250)) $((i % 250 + 1)); done
}
