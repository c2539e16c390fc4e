package io.nslab.netlink;

import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Timings of the batch hot path, printed, not asserted (the machine is shared
 * and noisy): opening sessions, pipelined link and address requests, a dump.
 */
@KernelTest
class BatchTimingTest {
    static final int SESSIONS = 300, LINKS = 200, ADDRS = 1000, NOOPS = 5000;

    @Test void printsBatchTimings() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                for (int round = 0; round < 2; round++) {   // the first round warms the JIT
                    long t0 = System.nanoTime();
                    for (int i = 0; i < SESSIONS; i++) Rtnl.open().close();
                    long t1 = System.nanoTime();

                    try (Rtnl r = Rtnl.open()) {
                        List<NlRequest> links = new ArrayList<>();
                        for (int i = 0; i < LINKS; i++) {
                            links.add(LinkRequests.add(LinkSpec.of("v" + round + "x" + i, LinkKind.veth("p" + round + "x" + i)).withUp(true)));
                        }
                        long t2 = System.nanoTime();
                        assertThat(r.socket().executeAll(links)).allMatch(Optional::isEmpty);
                        long t3 = System.nanoTime();
                        int lo = r.links().require("v" + round + "x0").index();
                        List<NlRequest> addrs = new ArrayList<>();
                        for (int i = 0; i < ADDRS; i++) {
                            addrs.add(AddressRequests.add(AddressSpec.of(lo, IpPrefix.parse("10." + round + "." + (i / 250) + "." + (i % 250 + 1) + "/32"))));
                        }
                        long t4 = System.nanoTime();
                        List<Optional<ErrnoException>> res = r.socket().executeAll(addrs);
                        long t5 = System.nanoTime();
                        assertThat(res).allMatch(Optional::isEmpty);
                        int n = r.addresses().dump().size();
                        long t6 = System.nanoTime();
                        List<NlRequest> noops = new ArrayList<>();
                        for (int i = 0; i < NOOPS; i++) noops.add(LinkRequests.set(1, LinkChange.up()));
                        long t7 = System.nanoTime();
                        assertThat(r.socket().executeAll(noops)).allMatch(Optional::isEmpty);
                        long t8 = System.nanoTime();
                        System.out.printf("batch timings round %d: %d no-op link sets (socket round trip, little kernel work) %.2f us each%n",
                                round, NOOPS, (t8 - t7) / 1e3 / NOOPS);
                        System.out.printf("batch timings round %d: %d sessions opened+closed %.1f us each; %d veth adds %.1f us each (build %.1f ms);"
                                        + " %d addr adds %.1f us each (build %.1f ms); dump of %d addresses %.1f ms%n",
                                round, SESSIONS, (t1 - t0) / 1e3 / SESSIONS, LINKS, (t3 - t2) / 1e3 / LINKS, (t2 - t1) / 1e6,
                                ADDRS, (t5 - t4) / 1e3 / ADDRS, (t4 - t3) / 1e6, n, (t6 - t5) / 1e6);
                    }
                }
            });
        }
    }
}
