package io.nslab.lab.apply;

import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkOperState;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;

/** Waits (bounded) for veth ends brought up to turn operationally up ({@link Executor#settle}). */
final class Settler {
    /** Most time {@link #settle} waits for veth ends to turn operationally up. */
    static final long SETTLE_MILLIS = 5_000;

    private final NsHandles handles;

    Settler(NsHandles handles) {
        this.handles = handles;
    }

    void settle(List<Step> applied) throws Exception {
        Map<NsRef, Set<String>> waiting = new LinkedHashMap<>();
        for (Step s : applied) {
            if (s instanceof Step.SetLink sl && sl.up()) waiting.computeIfAbsent(sl.ns(), k -> new HashSet<>()).add(sl.name());
            if (s instanceof Step.AddLink l && l.up()) waiting.computeIfAbsent(l.ns(), k -> new HashSet<>()).add(l.name());
        }
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000L;
        // The kernel's link watcher handles carrier events in the order they came: wait for the namespace
        // brought up last first (one dump at a time: every dump takes the rtnl lock the watcher needs), then
        // check all the others once it is ready; both roamers read half of them each.
        if (!waiting.isEmpty()) {
            NsRef last = waiting.keySet().stream().reduce((a, b) -> b).orElseThrow();
            settle(new LinkedHashMap<>(Map.of(last, waiting.get(last))), deadline);
            if (waiting.get(last).isEmpty()) waiting.remove(last);
        }
        List<Map<NsRef, Set<String>>> share = new ArrayList<>();
        for (int w = 0; w < NsHandles.WORKERS; w++) share.add(new LinkedHashMap<>());
        int n = 0;
        for (var e : waiting.entrySet()) share.get(n++ % NsHandles.WORKERS).put(e.getKey(), e.getValue());
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < NsHandles.WORKERS; w++) {
            Map<NsRef, Set<String>> mine = share.get(w);
            if (!mine.isEmpty()) running.add(handles.submit(w, () -> {
                settle(mine, deadline);
                return null;
            }));
        }
        NsHandles.awaitAll(running);
    }

    private void settle(Map<NsRef, Set<String>> waiting, long deadline) throws Exception {
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            // namespaces in the order they were brought up: the first still waiting ends the pass
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                List<Link> links;
                try (var h = handles.lease(e.getKey())) {
                    links = h.links().dump();
                }
                for (Link l : links) {
                    boolean veth = l.kind().map(k -> k instanceof LinkKind.Veth).orElse(false);
                    // only veth ends with carrier wait (a tun without its program, a bridge without ports, a veth
                    // whose peer the file leaves down stay down by design); carrier on + not yet UP = link watch pending
                    if (!veth || !l.isLowerUp() || l.operState() == LinkOperState.UP) e.getValue().remove(l.name());
                }
                if (e.getValue().isEmpty()) it.remove();
                else break;
            }
            if (!waiting.isEmpty()) Thread.sleep(2);
        }
    }
}
