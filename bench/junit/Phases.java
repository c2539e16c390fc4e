import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.Journal;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabLock;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.model.Lab;
import io.nslab.lab.plan.LabSteps;
import io.nslab.lab.plan.Plan;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;
import io.nslab.lab.run.LabRuntime;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.netns.NetNs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
                Plan plan = Planner.plan(desired, k.observe(desired), List.of());
                lap("observe + plan");
                if (r == 0) plan.steps().forEach(s -> System.out.println("  step: " + s.describe()));
                new Applier(k, journal).apply(plan.steps());
                lap("apply (" + plan.steps().size() + " steps)");
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
            engine.down(name);
            lap("down (engine)");
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
        System.out.printf("%-28s %9s %9s %9s%n", "phase (" + T.values().iterator().next().size() + " rounds)", "median", "p10", "p90");
        for (var e : T.entrySet()) {
            long[] v = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%-28s %7.2f ms %7.2f ms %7.2f ms%n", e.getKey(), v[v.length / 2] / 1e6, v[v.length / 10] / 1e6, v[v.length * 9 / 10] / 1e6);
        }
        System.out.println(Arrays.toString(NetNs.list().toArray()));
    }
}
