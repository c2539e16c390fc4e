package io.nslab.netlink;

import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.RtConst;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.ScratchNs;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The socket's own contract against the real kernel: ACKs, extended ACK, strict checking, pipelined batches. */
@KernelTest
class NlSocketKernelTest {
    ScratchNs ns;

    @BeforeEach void setUp() throws Exception { ns = ScratchNs.create(); }
    @AfterEach void tearDown() { ns.close(); }

    static NlRequest bridge(String name) { return LinkRequests.add(LinkSpec.of(name, LinkKind.bridge())); }

    @Test void executeAllReportsEachFailureAtItsPlaceAcrossChunks() throws Exception {
        ns.run(() -> {
            try (Rtnl r = Rtnl.open()) {
                int n = NlSocket.CHUNK_MESSAGES * 2 + 37;
                List<NlRequest> batch = new ArrayList<>();
                for (int i = 0; i < n; i++) batch.add(bridge(i % 7 == 3 ? "dup" : "b" + i));
                List<Optional<ErrnoException>> res = r.socket().executeAll(batch);
                assertThat(res).hasSize(n);
                for (int i = 0; i < n; i++) {
                    boolean failed = i % 7 == 3 && i != 3;   // the first "dup" is made, the later ones exist already
                    assertThat(res.get(i)).as("request %d", i).matches(o -> o.isPresent() == failed);
                    if (failed) {
                        assertThat(res.get(i).get().errno()).isEqualTo(Errno.EEXIST);
                        assertThat(res.get(i).get()).hasMessageStartingWith("link add dup failed: EEXIST");
                    }
                }
                assertThat(r.links().dump()).hasSize(1 + n - (n + 3) / 7 + 1);
            }
        });
    }

    @Test void executeAllMatchesAcksWhenSequenceNumbersWrap() throws Exception {
        ns.run(() -> {
            try (Rtnl r = Rtnl.open()) {
                r.socket().seedSequence(0x7fffffff - 3);
                List<NlRequest> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) batch.add(bridge(i == 6 ? "b0" : "b" + i));
                List<Optional<ErrnoException>> res = r.socket().executeAll(batch);
                for (int i = 0; i < 10; i++) assertThat(res.get(i).isPresent()).as("request %d", i).isEqualTo(i == 6);
                // and the socket still pairs a plain request with its ACK afterwards
                r.socket().execute(bridge("after"));
                assertThat(r.links().get("after")).isPresent();
            }
        });
    }

    @Test void errorsCarryTheExtendedAckText() throws Exception {
        ns.run(() -> {
            try (Rtnl r = Rtnl.open()) {
                NlRequest req = LinkRequests.add(LinkSpec.of("x0", new LinkKind.Other("nosuchkind", Attrs.EMPTY)));
                assertThatThrownBy(() -> r.socket().execute(req))
                        .isInstanceOf(ErrnoException.class)
                        .hasMessage("link add x0 failed: EOPNOTSUPP (Operation not supported): Unknown device type")
                        .satisfies(e -> assertThat(((ErrnoException) e).detail()).hasValue("Unknown device type"));
            }
        });
    }

    @Test void strictCheckingIsOn() throws Exception {
        ns.run(() -> {
            try (Rtnl r = Rtnl.open()) {
                // an address dump whose ifaddrmsg has a prefix length set: only a strict socket refuses it
                NlWriter w = new NlWriter(8);
                w.u8(2).u8(24).u8(0).u8(0).u32(0);
                NlRequest bad = new NlRequest(RtConst.RTM_GETADDR, 0, w.toByteArray(), "addr show");
                assertThatThrownBy(() -> r.socket().dump(bad))
                        .isInstanceOf(ErrnoException.class)
                        .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EINVAL))
                        .hasMessageContaining("addr show failed: EINVAL")
                        .hasMessageContaining("header");
            }
        });
    }

    @Test void queryOfAnAbsentLinkNamesIt() throws Exception {
        ns.run(() -> {
            try (Rtnl r = Rtnl.open()) {
                assertThatThrownBy(() -> r.socket().query(LinkRequests.get("nope0")))
                        .isInstanceOf(ErrnoException.class)
                        .hasMessageStartingWith("link show nope0 failed: ENODEV");
                assertThatThrownBy(() -> r.socket().execute(LinkRequests.delete("nope0")))
                        .hasMessageStartingWith("link del nope0 failed: ENODEV");
            }
        });
    }

    @Test void aReplyLargerThanTheBufferIsAskedAgainWithAGrownBuffer() throws Exception {
        ns.run(() -> {
            try (Rtnl r = Rtnl.open()) {
                List<NlRequest> batch = new ArrayList<>();
                for (int i = 0; i < 40; i++) batch.add(bridge("b" + i));
                assertThat(r.socket().executeAll(batch)).allMatch(Optional::isEmpty);
            }
            try (NlSocket small = NlSocket.open(0, 256)) {
                assertThat(small.query(LinkRequests.get("b7"))).hasSize(1);
                assertThat(small.receiveBufferSize()).isGreaterThan(256);
            }
            try (NlSocket small = NlSocket.open(0, 256)) {
                assertThat(new Links(small).dump()).hasSize(41);
                assertThat(small.receiveBufferSize()).isGreaterThan(256);
            }
        });
    }

    @Test void aDumpInterruptedByConcurrentChangesIsRestartedABoundedNumberOfTimes() throws Exception {
        ns.run(() -> {
            try (Rtnl r = Rtnl.open(); Rtnl churn = Rtnl.open()) {
                Links links = r.links();
                links.add(LinkSpec.of("br0", LinkKind.bridge()).withUp(true));
                int br = links.require("br0").index();
                List<NlRequest> many = new ArrayList<>();
                for (int i = 0; i < 3000; i++) {
                    many.add(AddressRequests.add(AddressSpec.of(br,
                            IpPrefix.parse("10.9." + (i / 250) + "." + (i % 250 + 1) + "/32"))));
                }
                assertThat(r.socket().executeAll(many)).allMatch(Optional::isEmpty);
                // another socket in the same namespace keeps adding and removing an address while we dump
                AtomicBoolean stop = new AtomicBoolean();
                NlRequest add = AddressRequests.add(AddressSpec.of(br,
                        IpPrefix.parse("10.8.0.1/32")));
                NlRequest del = AddressRequests.del(AddressSpec.of(br,
                        IpPrefix.parse("10.8.0.1/32")));
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) { churn.socket().execute(add); churn.socket().execute(del); }
                    } catch (ErrnoException e) {
                        throw new IllegalStateException(e);
                    }
                });
                try {
                    for (int k = 0; k < 50 && r.socket().restarts() == 0; k++) {
                        try {
                            assertThat(r.addresses().dump(2).size()).isBetween(3000, 3001);
                        } catch (ErrnoException e) {
                            // every attempt interrupted: the bound, said as such
                            assertThat(e.errno()).isEqualTo(Errno.EINTR);
                            assertThat(e).hasMessageContaining("dump interrupted by concurrent changes " + NlSocket.DUMP_RETRIES + " times");
                        }
                    }
                } finally {
                    stop.set(true);
                    t.join();
                }
                assertThat(r.socket().restarts()).isPositive();
                assertThat(r.addresses().dump(2)).hasSize(3000);
            }
        });
    }

    @Test void aWaitForTheKernelIsBoundedPerSocket() throws Exception {
        ns.run(() -> {
            try (Rtnl r = Rtnl.open()) {
                assertThat(r.socket().timeout()).isEqualTo(NlSocket.DEFAULT_TIMEOUT);
                r.socket().timeout(Duration.ofMillis(150));
                long t0 = System.nanoTime();
                // nothing was asked, so nothing comes: the wait ends with a clear error
                assertThatThrownBy(() -> r.socket().receiveOrTimeout("link show x0"))
                        .isInstanceOf(ErrnoException.class)
                        .hasMessage("link show x0 (no reply from the kernel in 150 ms) failed: ETIMEDOUT (Connection timed out)");
                assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(100L, 5_000L);
                r.socket().execute(bridge("b0"));   // and the socket still works
            }
        });
    }
}
