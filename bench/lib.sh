# Sourced by the bench scripts.

# idle_wait: wait for a quiet machine before a timed run, so that one run's
# leftovers (the kernel freeing the previous run's namespaces, IPv6 timers)
# do not land in the next one's time: until every core is >= 90% idle over
# 200 ms, at most 20 s (then it says so and goes on).
idle_wait() {
  local a b t0 i0 t1 i1
  for _ in $(seq 100); do
    a=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8, $5}' /proc/stat); sleep 0.2
    b=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8, $5}' /proc/stat)
    read -r t0 i0 <<<"$a"; read -r t1 i1 <<<"$b"
    [ $(( (i1 - i0) * 100 )) -ge $(( (t1 - t0) * 90 )) ] && return 0
  done
  echo "idle_wait: the machine is still busy after 20 s; timing anyway" >&2
  return 0
}

# gone_veths: until the kernel has removed every veth of this namespace.
gone_veths() { while [ "$(ip -o link show type veth | wc -l)" != 0 ]; do sleep 0.01; done; }

# cpu_header / cpu_measure N LABEL COMMAND...: after idle_wait, runs COMMAND
# (output discarded) and prints a row: wall time, the whole machine's busy CPU
# time (/proc/stat: user, nice, system, irq, softirq of every core), the
# command's own user and system time (its processes and their children),
# the kernel's work (busy - the command's user time) and the floor (that work
# spread perfectly over every core).
cpu_header() {
  printf '%-6s %-16s %8s %10s %10s %10s %12s %9s\n' N run wall_s busy_cpu_s tool_usr_s tool_sys_s kernel_cpu_s floor_s
}
cpu_measure() {
  local n="$1" label="$2"; shift 2
  local hz cores b0 b1 t0 t1 usr sys wall cpu kern times
  hz=$(getconf CLK_TCK); cores=$(nproc); times=$(mktemp)
  idle_wait
  b0=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat); t0=$(date +%s.%N)
  TIMEFORMAT='%U %S'; { time "$@" >/dev/null 2>&1; } 2> "$times"
  t1=$(date +%s.%N); b1=$(awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat)
  read -r usr sys < <(tail -1 "$times"); rm -f "$times"
  wall=$(echo "$t1 - $t0" | bc); cpu=$(echo "scale=3; ($b1 - $b0) / $hz" | bc)
  kern=$(echo "scale=3; $cpu - $usr" | bc)
  printf '%-6s %-16s %8.3f %10.3f %10.3f %10.3f %12.3f %9.3f\n' "$n" "$label" "$wall" "$cpu" "$usr" "$sys" "$kern" \
    "$(echo "scale=3; $kern / $cores" | bc)"
}
