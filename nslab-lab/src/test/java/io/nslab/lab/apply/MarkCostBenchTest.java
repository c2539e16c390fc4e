package io.nslab.lab.apply;

import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the lab's mark on lo costs when namespaces are made (docs/benchmarks.md):
 * {@code NetNs.createAll} of 300 namespaces with and without {@link NsMarks#mark},
 * alternated, medians of 5; and one mark request on an open socket. A timing, so
 * it runs only when asked, under the bench lock:
 * {@code NSLAB_BENCH_MARKS=1 /work/cpulock/bench mvn -B -o -q -pl nslab-lab -am -Dsurefire.failIfNoSpecifiedTests=false -Dnslab.setup.skip -Dtest=MarkCostBenchTest test}
 */
@KernelTest
class MarkCostBenchTest {
    static final int N = 300;

    long round(boolean mark) throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < N; i++) names.add("mc.n" + i);
        long t0 = System.nanoTime();
        var out = NetNs.createAll(names, n -> {
            Rtnl r = Rtnl.open();
            if (mark) NsMarks.mark(r.links(), n);
            return r;
        });
        long t = System.nanoTime() - t0;
        for (var o : out) o.value().ifPresent(Rtnl::close);
        NetNs.deleteAll(names);
        return t;
    }

    @Test
    void cost() throws Exception {
        assumeTrue(System.getenv("NSLAB_BENCH_MARKS") != null, "a timing: runs with NSLAB_BENCH_MARKS=1 under the bench lock");
        round(false);
        round(true);   // warm-up
        long[] plain = new long[5], marked = new long[5];
        for (int i = 0; i < 5; i++) {
            plain[i] = round(false);
            marked[i] = round(true);
        }
        Arrays.sort(plain);
        Arrays.sort(marked);
        NetNs.create("mc.one");
        long per;
        try (NetNs ns = NetNs.open("mc.one")) {
            per = ns.call(() -> {
                try (Rtnl r = Rtnl.open()) {
                    for (int i = 0; i < 2000; i++) NsMarks.mark(r.links(), "mc.one");
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 10000; i++) NsMarks.mark(r.links(), "mc.one");
                    return (System.nanoTime() - t0) / 10000;
                }
            });
        }
        NetNs.delete("mc.one");
        System.out.printf("MARKCOST createAll of %d namespaces, median of 5: plain %.1f ms, with the mark %.1f ms; one mark request %d ns%n",
                N, plain[2] / 1e6, marked[2] / 1e6, per);
    }
}
