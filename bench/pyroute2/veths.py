#!/usr/bin/python3
"""pyroute2 side of bench/pyroute2/run: N veth pairs, an address on each
first end, both ends up, in the current network namespace. One process,
one IPRoute socket, one request per step (pyroute2's ordinary API)."""
import sys
from pyroute2 import IPRoute

n = int(sys.argv[1])
with IPRoute() as ip:
    for i in range(n):
        a, b = f"va{i}", f"vb{i}"
        ip.link("add", ifname=a, kind="veth", peer=b)
        ia = ip.link_lookup(ifname=a)[0]
        ib = ip.link_lookup(ifname=b)[0]
        ip.addr("add", index=ia, address=f"10.{i // 128}.0.{(i % 128) * 2}", prefixlen=31)
        ip.link("set", index=ia, state="up")
        ip.link("set", index=ib, state="up")
