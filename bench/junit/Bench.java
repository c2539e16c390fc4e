import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * bench/junit: N generated test classes, each with its own 2-node lab (@NetLab("two.yaml"), one test that runs
 * code in a node), against the same N classes without a lab. Run in one JVM through the JUnit launcher: the first
 * (cold) parallel run, then warm rounds sequential and parallel. Per-class overhead = (labs - plain) / N.
 */
public final class Bench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]), rounds = Integer.parseInt(args[1]);
        List<Class<?>> labs = new ArrayList<>(), plain = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labs.add(Class.forName(String.format("gen.L%03d", i)));
            plain.add(Class.forName(String.format("gen.P%03d", i)));
        }
        // args[2]: threads for the parallel runs ("dynamic": JUnit's default, one per core)
        String threads = args.length > 2 ? args[2] : "dynamic";
        Map<String, String> par = new HashMap<>(Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent"));
        if (!threads.equals("dynamic")) {
            par.put("junit.jupiter.execution.parallel.config.strategy", "fixed");
            par.put("junit.jupiter.execution.parallel.config.fixed.parallelism", threads);
            par.put("junit.jupiter.execution.parallel.config.fixed.max-pool-size", threads);
        }
        System.out.println("parallel runs: " + threads + " threads");
        Map<String, String> seq = Map.of();
        System.out.printf("%-34s %8s%n", "run (" + n + " classes)", "seconds");
        System.out.printf("%-34s %8.2f%n", "labs, parallel, cold (1st in JVM)", run(labs, par));
        run(plain, seq);
        run(labs, seq);
        double bestLabsSeq = 1e9, bestPlainSeq = 1e9, bestLabsPar = 1e9, bestPlainPar = 1e9;
        for (int r = 0; r < rounds; r++) {
            bestPlainSeq = Math.min(bestPlainSeq, run(plain, seq));
            bestLabsSeq = Math.min(bestLabsSeq, run(labs, seq));
            bestPlainPar = Math.min(bestPlainPar, run(plain, par));
            bestLabsPar = Math.min(bestLabsPar, run(labs, par));
        }
        System.out.printf("%-34s %8.2f%n", "plain, sequential, warm (best)", bestPlainSeq);
        System.out.printf("%-34s %8.2f%n", "labs, sequential, warm (best)", bestLabsSeq);
        System.out.printf("%-34s %8.2f%n", "plain, parallel, warm (best)", bestPlainPar);
        System.out.printf("%-34s %8.2f%n", "labs, parallel, warm (best)", bestLabsPar);
        System.out.printf("per-class lab overhead, sequential warm: %.1f ms%n", (bestLabsSeq - bestPlainSeq) * 1000 / n);
        // the same, seen from inside the runs: class started -> its test started (beforeAll: the lab comes up) and
        // test finished -> class finished (the lab goes down), per class, sequential, over the warm rounds
        SETUP.clear();
        TEARDOWN.clear();
        timing = true;
        for (int r = 0; r < Math.max(1, rounds); r++) run(labs, seq);
        timing = false;
        System.out.printf("per class with a lab, sequential warm (%d classes): setup %s, teardown %s, setup + teardown %s (median, p10-p90)%n",
                SETUP.size(), stats(SETUP), stats(TEARDOWN), stats(sum(SETUP, TEARDOWN)));
    }

    static final List<Long> SETUP = Collections.synchronizedList(new ArrayList<>()), TEARDOWN = Collections.synchronizedList(new ArrayList<>());
    static volatile boolean timing;

    /** Timestamps of each class's and test's start and end: what the lab adds before and after the test. */
    static final class Phases implements TestExecutionListener {
        final Map<String, Long> classStart = new ConcurrentHashMap<>(), testEnd = new ConcurrentHashMap<>();

        @Override public void executionStarted(TestIdentifier id) {
            long now = System.nanoTime();
            if (id.isContainer() && id.getParentId().isPresent()) classStart.put(id.getUniqueId(), now);
            else if (id.isTest()) SETUP.add(now - classStart.get(id.getParentId().orElseThrow()));
        }

        @Override public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            long now = System.nanoTime();
            if (id.isTest()) testEnd.put(id.getParentId().orElseThrow(), now);
            else if (id.isContainer() && testEnd.containsKey(id.getUniqueId())) TEARDOWN.add(now - testEnd.get(id.getUniqueId()));
        }
    }

    static List<Long> sum(List<Long> a, List<Long> b) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) out.add(a.get(i) + b.get(i));
        return out;
    }

    static String stats(List<Long> v) {
        long[] s = v.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format("%.1f ms (%.1f-%.1f)", s[s.length / 2] / 1e6, s[s.length / 10] / 1e6, s[s.length * 9 / 10] / 1e6);
    }

    static double run(List<Class<?>> classes, Map<String, String> config) {
        var b = LauncherDiscoveryRequestBuilder.request().configurationParameters(config);
        for (Class<?> c : classes) b.selectors(selectClass(c));
        Launcher l = LauncherFactory.create();
        SummaryGeneratingListener s = new SummaryGeneratingListener();
        long t0 = System.nanoTime();
        if (timing) l.execute(b.build(), s, new Phases());
        else l.execute(b.build(), s);
        double secs = (System.nanoTime() - t0) / 1e9;
        TestExecutionSummary sum = s.getSummary();
        if (sum.getTotalFailureCount() > 0 || sum.getTestsSucceededCount() != classes.size()) {
            sum.getFailures().forEach(f -> f.getException().printStackTrace());
            throw new IllegalStateException("bench run failed: " + sum.getTestsSucceededCount() + " of " + classes.size() + " passed");
        }
        return secs;
    }
}
