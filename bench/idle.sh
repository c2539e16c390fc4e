# Sourced by the bench scripts: wait for a quiet machine before a timed run,
# so that one run's leftovers (the kernel freeing the namespaces of the run
# before, IPv6 timers) do not land in the next one's time.
# idle_wait: until both cores are >= 90% idle over 200 ms (at most 20 s).
idle_wait() {
  local a b t0 i0 t1 i1
  for _ in $(seq 100); do
    a=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8, $5}' /proc/stat); sleep 0.2
    b=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8, $5}' /proc/stat)
    read -r t0 i0 <<<"$a"; read -r t1 i1 <<<"$b"
    [ $(( (i1 - i0) * 100 )) -ge $(( (t1 - t0) * 90 )) ] && return 0
  done
}
# busy: CPU ticks spent so far on both cores (user, nice, system, irq, softirq).
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
