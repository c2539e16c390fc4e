import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.Journal;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabLock;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.host.HostLimits;
import io.nslab.lab.model.Lab;
import io.nslab.lab.plan.LabSteps;
import io.nslab.lab.plan.Plan;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;
import io.nslab.lab.run.LabRuntime;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.Sysctl;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkOperState;
import io.nslab.netlink.route.LinkSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * bench/junit/phases.sh: where a warm 2-node up + down goes, phase by phase, in process (the same calls as
 * LabEngine.up/down, timed between them), and the engine's own up/down timed whole. Medians over the rounds.
 */
public final class Phases {
    static final Map<String, List<Long>> T = new LinkedHashMap<>();
    static long mark;

    static void lap(String phase) {
        long now = System.nanoTime();
        T.computeIfAbsent(phase, k -> new ArrayList<>()).add(now - mark);
        mark = now;
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        String text = Files.readString(Path.of(args[1]));
        LabEngine engine = LabEngine.system();
        HostLimits host = new HostLimits(Path.of("/proc"), engine.dirs().root());
        for (int r = 0; r < rounds; r++) {
            boolean measured = r >= rounds / 4;                      // the first quarter warms up
            String name = "ph-" + r;
            mark = System.nanoTime();
            Lab lab = Validator.checkText(text, "two.yaml").orThrow().named(name);
            lap("validate");
            engine.hostLimits(lab);
            lap("host limits");
            Path dir = engine.dirs().lab(name);
            try (LabLock lock = LabLock.acquire(dir, name); Journal journal = Journal.open(lock.dir())) {
                lap("lock + journal open");
                KernelExecutor k = new KernelExecutor();
                lap("executor (roamer threads)");
                List<Step> desired = LabSteps.of(lab);
                lap("steps of the lab");
                NetNs.list();
                lap("netns list");
                var observed = k.observe(desired);
                lap("observe");
                if (r == 0) System.out.println("  observed: " + observed.views().keySet() + " of " + observed.namespaces().size() + " namespaces");
                Plan plan = Planner.plan(desired, observed, List.of());
                lap("plan");
                if (r == 0) plan.steps().forEach(s -> System.out.println("  step: " + s.describe()));
                // each progress call (at a segment's first and last step, before a lone step) closes a lap: a segment's
                // last call times the segment, a lone step's time shows in the lap of the call after it
                new Applier(k, journal, (phase, done, total, st) -> lap("apply: until step " + (done + 1) + " " + st.describe().replace(name, "L")),
                        Applier.FaultHook.NONE).apply(plan.steps());
                lap("apply: the rest");
                k.settle(plan.steps());
                lap("settle");
                LabRuntime.start(lab, dir, () -> false);
                lap("hosts files (run)");
                k.close();
                lap("executor close");
            }
            lap("journal + lock close");
            try (NetNs ns = NetNs.open(name + ".a")) {
                ns.call(() -> 1);
            }
            lap("a call in a node");
            // down, as LabEngine.down does it
            try (LabLock lock = LabLock.acquire(dir, name)) {
                lap("down: lock");
                try (Journal journal = Journal.open(lock.dir()); KernelExecutor k = new KernelExecutor()) {
                    lap("down: journal open + executor");
                    LabRuntime.stop(name, dir);
                    lap("down: hosts files (run)");
                    new Applier(k, journal).teardown();
                    lap("down: teardown (netns del)");
                }
                lap("down: journal + executor close");
                lock.removeLabDirectory();
                lap("down: state directory");
            }
            host.release(name);
            lap("down: host tuning");
            if (!measured) T.values().forEach(l -> l.remove(l.size() - 1));
        }
        // the engine's own up + down, whole
        for (int r = 0; r < rounds; r++) {
            String name = "pe-" + r;
            Lab lab = Validator.checkText(text, "two.yaml").orThrow().named(name);
            mark = System.nanoTime();
            engine.up(lab);
            lap("engine up, whole");
            engine.down(name);
            lap("engine down, whole");
            if (r < rounds / 4) {
                T.get("engine up, whole").removeLast();
                T.get("engine down, whole").removeLast();
            }
        }
        // the kernel's own part, without nslab's engine: the same namespaces, veth pair, addresses and links up
        // straight through the library (no validation, plan, journal, lock, state directory, hosts files)
        for (int r = 0; r < rounds; r++) {
            String a = "fl-" + r + ".a", b = "fl-" + r + ".b";
            mark = System.nanoTime();
            var made = NetNs.createAll(List.of(a, b), n -> {
                Sysctl.write("net/ipv6/conf/default/disable_ipv6", "1");
                return Rtnl.open();
            });
            Rtnl ra = made.get(0).value().orElseThrow(), rb = made.get(1).value().orElseThrow();
            ra.links().add(LinkSpec.of("eth0", new LinkKind.Veth(Optional.of("eth0"), Optional.of(LinkNetns.name(b)), Optional.empty(),
                    OptionalInt.of(1001))).withIndex(1000));
            for (Rtnl x : List.of(ra, rb)) {
                x.links().set("lo", LinkChange.up());
                x.links().set("eth0", LinkChange.up());
            }
            ra.addresses().add("eth0", IpPrefix.parse("10.9.0.1/24"));
            rb.addresses().add("eth0", IpPrefix.parse("10.9.0.2/24"));
            while (ra.links().require("eth0").operState() != LinkOperState.UP || rb.links().require("eth0").operState() != LinkOperState.UP)
                Thread.sleep(0, 200_000);
            lap("kernel only: up");
            ra.close();
            rb.close();
            NetNs.deleteAll(List.of(a, b));
            lap("kernel only: down");
            if (r < rounds / 4) {
                T.get("kernel only: up").removeLast();
                T.get("kernel only: down").removeLast();
            }
        }
        System.out.printf("%-28s %9s %9s %9s%n", "phase (" + T.values().iterator().next().size() + " rounds)", "median", "p10", "p90");
        for (var e : T.entrySet()) {
            long[] v = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%-28s %7.2f ms %7.2f ms %7.2f ms%n", e.getKey(), v[v.length / 2] / 1e6, v[v.length / 10] / 1e6, v[v.length * 9 / 10] / 1e6);
        }
        System.out.println(Arrays.toString(NetNs.list().toArray()));
    }
}
