#!/bin/bash
# `nslab up FILE`, `up` again and `down FILE` as separate processes (JVM start
# included, through ./nslab), on the N-node lab of gen.sh. Run inside
# a throwaway network + mount namespace (see run.sh); prints the times.
#   bench/lab/cli.sh N
set -e
N=${1:-1000}
T=$(mktemp -d)
bash "$(dirname "$0")/gen.sh" "$N" > $T/big.yaml
# nslab exactly as a user runs it: the launcher, with its ahead-of-time cache
# (run.sh builds and trains it before the timing)
LAUNCHER="$(cd "$(dirname "$0")/../.." && pwd)/nslab"
nslab() { NSLAB_NO_BUILD=1 "$LAUNCHER" "$@"; }
ms() { date +%s%N | cut -c1-13; }
. "$(dirname "$0")/../lib.sh"
idle_wait
t0=$(ms); nslab up $T/big.yaml > $T/up.out
t1=$(ms); nslab up $T/big.yaml > $T/again.out
t2=$(ms); nslab down $T/big.yaml > $T/down.out
t3=$(ms)
echo "nslab CLI N=$N (whole process): up $((t1-t0)) ms, up again $((t2-t1)) ms, down $((t3-t2)) ms"
grep -h "" $T/up.out $T/again.out | sed 's/^/  /'
rm -rf $T
