#!/bin/bash
# nslab's CNI plugin vs the reference chain (bridge + host-local + portmap) and
# Podman's netavark: ADD/DEL latency by direct exec, and podman run -d / rm as
# Podman sees it, all in one run. Root; everything happens in a private network
# and mount namespace (its own /run, /var/lib, /tmp; cgroups mounted again as
# the machine has them), so nothing reaches the machine's network, /etc/cni,
# /opt/cni or /var/lib/cni.
#
#   bench/cni/run.sh [N]        N rounds (default 10); prints medians and p90 in ms
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
n="${1:-10}"
if [ -z "${NSLAB_CNI_BENCH_INSIDE:-}" ]; then
  [ "$(id -u)" = 0 ] || { echo "bench/cni/run.sh: needs root" >&2; exit 1; }
  for c in podman runc /usr/lib/cni/bridge /usr/lib/podman/netavark /bin/busybox; do
    command -v "$c" >/dev/null || [ -x "$c" ] || { echo "bench/cni/run.sh: $c missing (apt-get install podman runc containernetworking-plugins netavark busybox-static)" >&2; exit 1; }
  done
  (cd "$here" && NSLAB_NO_AOT=1 ./nslab --help >/dev/null)   # builds the jar when the sources changed
  exec env NSLAB_CNI_BENCH_INSIDE=1 unshare --net --mount --propagation private "$0" "$@"
fi
source "$here/bench/lib.sh"
# the machine here is never idle (other builds): NSLAB_BENCH_NO_IDLE_WAIT=1 times at once, interleaved
[ -z "${NSLAB_BENCH_NO_IDLE_WAIT:-}" ] || idle_wait() { :; }

# ---------------------------------------------------------------- the private world
mount -t tmpfs nslab-bench /tmp; mount -t tmpfs nslab-bench /run; mkdir -p /run/netns
mount -t tmpfs nslab-bench /var/lib
mount -t sysfs sysfs /sys
while read -r mp type opts; do
  case "$mp" in /sys/fs/cgroup*) mkdir -p "$mp"; mount -t "$type" -o "$opts" "$type" "$mp" ;; esac
done < <(awk '{for (i = 7; i <= NF; i++) if ($i == "-") { print $5, $(i + 1), $(i + 3); break }}' /proc/1/mountinfo)
ip link set lo up
W=/tmp/w; mkdir -p $W/rootfs/bin $W/rootfs/www $W/net.d $W/networks $W/state $W/ref-state $W/tmp
cp /bin/busybox $W/rootfs/bin/; echo hi > $W/rootfs/www/index.html
"$here/nslab" cni install $W/bin
"$here/nslab" cni install --no-cache --socket $W/cni.sock $W/bin-srv >/dev/null
"$here/nslab" cni serve --socket $W/cni.sock 2>/dev/null & server=$!
for _ in $(seq 100); do [ -S $W/cni.sock ] && break; sleep 0.1; done
cg="nslab-cni-bench-$$"
cleanup() { kill $server 2>/dev/null || true; find /sys/fs/cgroup -depth -type d -path "*/$cg*" -exec rmdir {} \; 2>/dev/null || true; }
trap cleanup EXIT

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
stats() { # LABEL VALUES...: median and p90
  local label="$1"; shift
  printf '%s\n' "$@" | sort -n | awk -v l="$label" '{a[NR]=$1} END {m=a[int((NR+1)/2)]; p=a[int(NR*0.9+0.999)]; printf "%-44s median %5d ms   p90 %5d ms   (n=%d)\n", l, m, p, NR}'
}

# ---------------------------------------------------------------- direct exec
NSLAB_CFG='{"cniVersion":"1.0.0","name":"bn","type":"nslab","bridge":"cni-bn","isGateway":true,"ipMasq":true,"hairpinMode":true,
 "ipam":{"type":"host-local","dataDir":"'$W/state'","ranges":[[{"subnet":"10.91.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}]},
 "capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":18090,"containerPort":80,"protocol":"tcp"}]}}'
SRV_CFG=$(echo "$NSLAB_CFG" | sed 's/"name":"bn"/"name":"bs"/; s/cni-bn/cni-bs/; s/10.91/10.97/; s/18090/18092/')
BR_CFG='{"cniVersion":"1.0.0","name":"br","type":"bridge","bridge":"cni-br","isGateway":true,"ipMasq":true,"hairpinMode":true,
 "ipam":{"type":"host-local","dataDir":"'$W/ref-state'","ranges":[[{"subnet":"10.92.0.0/16"}]],"routes":[{"dst":"0.0.0.0/0"}]}}'
pm_cfg() { printf '{"cniVersion":"1.0.0","name":"br","type":"portmap","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":[{"hostPort":18091,"containerPort":80,"protocol":"tcp"}]},"prevResult":%s}' "$1"; }
cni() { # PLUGIN CMD ID NETNS: stdin is the config
  CNI_COMMAND="$2" CNI_CONTAINERID="$3" CNI_NETNS="$4" CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni:$W/bin "$1"
}
javabin=$(sed -n "s/^exec '\([^']*\)'.*/\1/p" $W/bin/nslab)
jar=$W/bin/.nslab/nslab.jar
v_aot=(); v_noaot=(); v_hello=(); a_n=(); d_n=(); a_r=(); d_r=(); a_s=(); d_s=()
for i in $(seq 0 "$n"); do
  ip netns add bn$i; ip netns add br$i; ip netns add bs$i
  idle_wait
  t=$(date +%s%N); echo '{}' | CNI_COMMAND=VERSION $W/bin/nslab >/dev/null; v_aot+=($(ms $t))
  t=$(date +%s%N); echo '{}' | CNI_COMMAND=VERSION "$javabin" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k --enable-native-access=ALL-UNNAMED -cp $jar io.nslab.cli.cni.CniMain >/dev/null; v_noaot+=($(ms $t))
  t=$(date +%s%N); "$javabin" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -version >/dev/null 2>&1; v_hello+=($(ms $t))
  t=$(date +%s%N); echo "$NSLAB_CFG" | cni $W/bin/nslab ADD c$i /run/netns/bn$i >/dev/null; [ "$i" = 0 ] || a_n+=($(ms $t))
  t=$(date +%s%N); echo "$SRV_CFG" | cni $W/bin-srv/nslab ADD c$i /run/netns/bs$i >/dev/null; [ "$i" = 0 ] || a_s+=($(ms $t))
  t=$(date +%s%N); res=$(echo "$BR_CFG" | cni /usr/lib/cni/bridge ADD c$i /run/netns/br$i); pm_cfg "$res" | cni /usr/lib/cni/portmap ADD c$i /run/netns/br$i >/dev/null; [ "$i" = 0 ] || a_r+=($(ms $t))
  # the next round's ADD must not take this round's port: DEL now
  t=$(date +%s%N); echo "$NSLAB_CFG" | cni $W/bin/nslab DEL c$i /run/netns/bn$i >/dev/null; [ "$i" = 0 ] || d_n+=($(ms $t))
  t=$(date +%s%N); echo "$SRV_CFG" | cni $W/bin-srv/nslab DEL c$i /run/netns/bs$i >/dev/null; [ "$i" = 0 ] || d_s+=($(ms $t))
  t=$(date +%s%N); pm_cfg "$res" | cni /usr/lib/cni/portmap DEL c$i /run/netns/br$i >/dev/null; echo "$BR_CFG" | cni /usr/lib/cni/bridge DEL c$i /run/netns/br$i >/dev/null; [ "$i" = 0 ] || d_r+=($(ms $t))
  ip netns del bn$i; ip netns del br$i; ip netns del bs$i
done
echo "== direct exec (one ADD/DEL with one published port; round 0 is a warm-up and not counted)"
stats "java -version (JVM start, CDS)" "${v_hello[@]:1}"
stats "nslab VERSION, no AOT cache" "${v_noaot[@]:1}"
stats "nslab VERSION, AOT cache" "${v_aot[@]:1}"
stats "nslab ADD (1 exec, a JVM)" "${a_n[@]}"
stats "nslab ADD (sh + nc to nslab cni serve)" "${a_s[@]}"
stats "reference ADD (bridge+host-local, portmap: 3 execs)" "${a_r[@]}"
stats "nslab DEL (1 exec, a JVM)" "${d_n[@]}"
stats "nslab DEL (sh + nc to nslab cni serve)" "${d_s[@]}"
stats "reference DEL (portmap, bridge+host-local: 3 execs)" "${d_r[@]}"

# ---------------------------------------------------------------- podman
cat > $W/net.d/nslab.conflist <<EOC
{"cniVersion":"1.0.0","name":"nslabnet","plugins":[{"type":"nslab","bridge":"cni-nsl","isGateway":true,"ipMasq":true,"hairpinMode":true,
 "ipam":{"type":"host-local","dataDir":"$W/state","ranges":[[{"subnet":"10.94.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}]},
 "capabilities":{"portMappings":true}}]}
EOC
cat > $W/net.d/ref.conflist <<EOC
{"cniVersion":"1.0.0","name":"refnet","plugins":[{"type":"bridge","bridge":"cni-ref","isGateway":true,"ipMasq":true,"hairpinMode":true,
 "ipam":{"type":"host-local","dataDir":"$W/ref-state","ranges":[[{"subnet":"10.95.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}]}},
 {"type":"portmap","capabilities":{"portMappings":true}}]}
EOC
conf() { # NAME BACKEND PLUGIN-DIR
  cat > $W/containers-$1.conf <<EOC
[containers]
default_ulimits = []
[network]
network_backend = "$2"
cni_plugin_dirs = ["$3", "/usr/lib/cni"]
network_config_dir = "$([ "$2" = cni ] && echo $W/net.d || echo $W/networks)"
[engine]
tmp_dir = "$W/tmp/$1"
EOC
}
conf cni cni $W/bin; conf cnisrv cni $W/bin-srv; conf netavark netavark $W/bin
pod() { # CONF ARGS...
  local b="$1"; shift
  local backend=cni; [ "$b" = netavark ] && backend=netavark
  CONTAINERS_CONF=$W/containers-$b.conf podman --root $W/root-$b --runroot $W/runroot-$b --runtime runc --network-backend "$backend" \
    --cgroup-manager cgroupfs --events-backend file "$@"
}
pod netavark network create --disable-dns --subnet 10.96.0.0/24 netavarknet >/dev/null
declare -A run_t rm_t
for i in $(seq 0 "$n"); do
  for v in none:cni nslabnet:cni nslabnet:cnisrv refnet:cni netavarknet:netavark; do
    net=${v%%:*}; b=${v##*:}; key=$net; [ "$b" = cnisrv ] && key=nslabsrv
    idle_wait
    port=()
    [ "$net" = none ] || port=(-p 18090:80)
    t=$(date +%s%N)
    pod $b run -d --cgroup-parent /$cg --name "w$i-$key" --network $net "${port[@]}" --rootfs $W/rootfs /bin/busybox httpd -f -p 80 -h /www >/dev/null
    r=$(ms $t)
    t=$(date +%s%N); pod $b rm -f -t 0 "w$i-$key" >/dev/null; d=$(ms $t)
    [ "$i" = 0 ] && continue
    run_t[$key]+="$r "; rm_t[$key]+="$d "
  done
done
echo "== podman run -d -p 18090:80 / podman rm -f -t 0 (busybox httpd, runc; round 0 not counted)"
for net in none nslabnet nslabsrv refnet netavarknet; do
  # shellcheck disable=SC2086
  stats "podman run -d, network $net" ${run_t[$net]}
  # shellcheck disable=SC2086
  stats "podman rm, network $net" ${rm_t[$net]}
done
echo "== left behind: links: $(ip -o link | awk -F': ' '$2 != "lo" {printf "%s ", $2}'); tables: $(nft list tables | awk '{printf "%s %s, ", $2, $3}'); netns: $(ls /run/netns | wc -l)"
