package io.nslab.netlink.netns;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.Errno;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Kernel tests, inside the test sandbox where /run/netns is a private tmpfs. Every name made here starts with "nt-". */
@KernelTest
class NetNsTest {
    @AfterEach
    void leaveNothingBehind() throws Exception {
        List<String> mine = NetNs.list().stream().filter(n -> n.startsWith("nt-")).toList();
        NetNs.deleteAll(mine);
        assertThat(NetNs.list()).noneMatch(n -> n.startsWith("nt-"));
    }

    static List<String> ipNetnsList() throws Exception {
        List<String> names = new ArrayList<>();
        for (String line : Observer.run(List.of("ip", "netns", "list")).split("\n")) {
            if (!line.isBlank()) names.add(line.split(" ")[0]);
        }
        return names;
    }

    @Test
    void createListDeleteSeenByIproute2() throws Exception {
        NetNs.create("nt-a");
        assertThat(NetNs.list()).contains("nt-a");
        assertThat(NetNs.exists("nt-a")).isTrue();
        assertThat(ipNetnsList()).contains("nt-a");

        // iproute2 enters it: only lo, and lo is down in a new namespace.
        var links = Observer.ipJson("/run/netns/nt-a", "link", "show");
        assertThat(links).hasSize(1);
        assertThat(links.get(0).get("ifname").asText()).isEqualTo("lo");
        assertThat(links.get(0).get("flags").toString()).doesNotContain("\"UP\"");
        String viaIpN = Observer.run(List.of("ip", "-n", "nt-a", "-o", "link"));
        assertThat(viaIpN.lines()).hasSize(1).allMatch(l -> l.contains("lo:"));

        NetNs.delete("nt-a");
        assertThat(NetNs.list()).doesNotContain("nt-a");
        assertThat(NetNs.exists("nt-a")).isFalse();
        assertThat(ipNetnsList()).doesNotContain("nt-a");
    }

    @Test
    void namespacesMadeByIproute2AreSeenAndDeleted() throws Exception {
        Observer.run(List.of("ip", "netns", "add", "nt-ip"));
        assertThat(NetNs.list()).contains("nt-ip");
        try (NetNs ns = NetNs.open("nt-ip")) {
            assertThat(ns.sysctl("net.ipv4.ip_forward")).isEqualTo("0");
        }
        NetNs.delete("nt-ip");
        assertThat(ipNetnsList()).doesNotContain("nt-ip");
    }

    @Test
    void duplicateCreateFailsClearlyAndChangesNothing() throws Exception {
        NetNs.create("nt-dup");
        NsInode before;
        try (NetNs ns = NetNs.open("nt-dup")) { before = ns.inode(); }
        List<String> listBefore = NetNs.list();

        assertThatThrownBy(() -> NetNs.create("nt-dup"))
                .isInstanceOf(NetNsException.class)
                .hasMessage("netns add nt-dup: namespace already exists (/run/netns/nt-dup)")
                .satisfies(e -> assertThat(((NetNsException) e).errno()).isEqualTo(Errno.EEXIST));
        assertThatThrownBy(() -> NetNs.createOpen("nt-dup")).hasMessageContaining("already exists");

        assertThat(NetNs.list()).isEqualTo(listBefore);
        try (NetNs ns = NetNs.open("nt-dup")) { assertThat(ns.inode()).isEqualTo(before); }
        assertThat(Observer.ipJson("/run/netns/nt-dup", "link", "show")).hasSize(1);
    }

    @Test
    void badNamesAreRefusedBeforeAnythingChanges() throws Exception {
        List<String> before = NetNs.list();
        assertThatThrownBy(() -> NetNs.create("")).hasMessage("netns add: empty namespace name");
        assertThatThrownBy(() -> NetNs.create("a/b")).hasMessage("netns add a/b: invalid namespace name (must not contain '/')");
        assertThatThrownBy(() -> NetNs.create(".")).hasMessage("netns add .: invalid namespace name");
        assertThatThrownBy(() -> NetNs.create("..")).hasMessage("netns add ..: invalid namespace name");
        assertThatThrownBy(() -> NetNs.create("n".repeat(256))).hasMessageContaining("namespace name too long (256 bytes, at most 255)");
        assertThatThrownBy(() -> NetNs.delete("../etc")).hasMessageContaining("must not contain '/'");
        assertThatThrownBy(() -> NetNs.open("a/b")).isInstanceOf(NetNsException.class);
        assertThat(NetNs.exists("..")).isFalse();
        assertThat(NetNs.list()).isEqualTo(before);
        // 255 bytes is allowed, like iproute2.
        String longest = "nt-" + "x".repeat(252);
        NetNs.create(longest);
        assertThat(NetNs.exists(longest)).isTrue();
    }

    @Test
    void deletingAnAbsentNamespaceSaysSo() {
        assertThatThrownBy(() -> NetNs.delete("ns9"))
                .isInstanceOf(NetNsException.class)
                .hasMessage("netns del ns9: no such namespace");
        assertThatThrownBy(() -> NetNs.open("nt-none")).hasMessage("netns nt-none: no such namespace");
        assertThatThrownBy(() -> NetNs.openPid(Integer.MAX_VALUE)).hasMessageContaining("no such process");
    }

    @Test
    void callRunsInsideAndPropagatesExceptions() throws Exception {
        NetNs.create("nt-call");
        try (NetNs ns = NetNs.open("nt-call"); NetNs here = NetNs.current()) {
            NsInode inside = ns.call(() -> NsInode.of(Path.of("/proc/thread-self/ns/net")));
            assertThat(inside).isEqualTo(ns.inode()).isNotEqualTo(here.inode());
            // A second call reuses the same thread, still inside.
            assertThat(ns.call(() -> NsInode.of(Path.of("/proc/thread-self/ns/net")))).isEqualTo(inside);
            assertThat(ns.call(() -> Thread.currentThread().isVirtual())).isFalse();
            // Nested calls run in place instead of deadlocking.
            assertThat(ns.call(() -> ns.call(() -> 42))).isEqualTo(42);

            IOException boom = new IOException("boom");
            assertThatThrownBy(() -> ns.run(() -> { throw boom; })).isSameAs(boom);
            assertThatThrownBy(() -> ns.call(() -> { throw new IllegalStateException("x"); })).isInstanceOf(IllegalStateException.class);
            // The thread survives a failing task.
            assertThat(ns.call(() -> 7)).isEqualTo(7);

            CompletableFuture<Integer> f = ns.submit(() -> 5);
            assertThat(f.get()).isEqualTo(5);
            assertThat(CompletableFuture.supplyAsync(() -> {
                try { return NsInode.of(Path.of("/proc/thread-self/ns/net")); } catch (IOException e) { throw new RuntimeException(e); }
            }, ns.executor()).get()).isEqualTo(inside);
            // The caller's own thread never moved.
            assertThat(NsInode.of(Path.of("/proc/thread-self/ns/net"))).isEqualTo(here.inode());
        }
    }

    @Test
    void aClosedHandleRefusesWork() throws Exception {
        NetNs.create("nt-closed");
        NetNs ns = NetNs.open("nt-closed");
        ns.run(() -> {});
        ns.close();
        ns.close();
        assertThatThrownBy(() -> ns.call(() -> 1)).isInstanceOf(NetNsException.class).hasMessageContaining("closed");
        assertThat(ns.submit(() -> 1)).isCompletedExceptionally();
    }

    @Test
    void openByPidAndPathAndCurrentReferToTheSameNamespaces() throws Exception {
        NetNs.create("nt-open");
        try (NetNs byName = NetNs.open("nt-open");
             NetNs byPath = NetNs.openPath(Path.of("/run/netns/nt-open"));
             NetNs self = NetNs.openPid(ProcessHandle.current().pid());
             NetNs cur = NetNs.current()) {
            assertThat(byPath.inode()).isEqualTo(byName.inode());
            assertThat(self.inode()).isEqualTo(cur.inode()).isNotEqualTo(byName.inode());
            assertThat(byName.name()).hasValue("nt-open");
            assertThat(byPath.name()).isEmpty();
            // current() called on a thread inside the namespace is that namespace.
            assertThat(byName.call(() -> { try (NetNs in = NetNs.current()) { return in.inode(); } })).isEqualTo(byName.inode());
        }
    }

    @Test
    void rtnlIsBoundInsideTheNamespace() throws Exception {
        NetNs.create("nt-rtnl");
        try (NetNs ns = NetNs.open("nt-rtnl"); Rtnl rtnl = ns.rtnl()) {
            // A link dump through it sees only the namespace's lo.
            byte[] ifinfomsg = new byte[16];
            var links = rtnl.socket().dump(new NlRequest(RtConst.RTM_GETLINK, 0, ifinfomsg, "link show"));
            assertThat(links).hasSize(1);
        }
    }

    @Test
    void sysctlIsPerNamespace() throws Exception {
        try (NetNs a = NetNs.createOpen("nt-sa"); NetNs b = NetNs.createOpen("nt-sb")) {
            assertThat(a.sysctl("net.ipv4.ip_forward")).isEqualTo("0");
            a.sysctl("net.ipv4.ip_forward", "1");
            assertThat(a.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
            assertThat(b.sysctl("net.ipv4.ip_forward")).isEqualTo("0");
            assertThat(Observer.run(List.of("nsenter", "--net=/run/netns/nt-sa", "cat", "/proc/sys/net/ipv4/ip_forward")).strip()).isEqualTo("1");
            assertThat(Observer.run(List.of("nsenter", "--net=/run/netns/nt-sb", "cat", "/proc/sys/net/ipv4/ip_forward")).strip()).isEqualTo("0");
            // The test's own namespace is untouched.
            assertThat(Sysctl.read("net.ipv4.ip_forward")).isEqualTo("0");

            a.sysctl("net.ipv6.conf.all.forwarding", "1");
            assertThat(a.sysctl("net/ipv6/conf/all/forwarding")).isEqualTo("1");
            assertThat(b.sysctl("net.ipv6.conf.all.forwarding")).isEqualTo("0");
            b.sysctl("net.ipv6.conf.lo.disable_ipv6", "1");
            assertThat(b.sysctl("net.ipv6.conf.lo.disable_ipv6")).isEqualTo("1");
            assertThat(a.sysctl("net.ipv6.conf.lo.disable_ipv6")).isEqualTo("0");

            assertThatThrownBy(() -> a.sysctl("net.ipv4.nope")).hasMessage("sysctl net.ipv4.nope (netns nt-sa): no such key");
            assertThatThrownBy(() -> a.sysctl("net..x")).hasMessage("sysctl net..x: invalid key");
            assertThatThrownBy(() -> a.sysctl("net/../../etc/passwd")).hasMessageContaining("invalid key");
            assertThatThrownBy(() -> a.sysctl("net.ipv4.ip_forward", "banana")).hasMessageContaining("sysctl net.ipv4.ip_forward (netns nt-sa): cannot write");
            assertThatThrownBy(() -> a.sysctl("net.ipv4.conf", "1")).hasMessage("sysctl net.ipv4.conf (netns nt-sa): is a directory, not a key");
        }
    }

    @Test
    void createOpenGivesAThreadAlreadyInside() throws Exception {
        try (NetNs ns = NetNs.createOpen("nt-co")) {
            assertThat(ns.name()).hasValue("nt-co");
            assertThat(ipNetnsList()).contains("nt-co");
            assertThat(ns.call(() -> NsInode.of(Path.of("/proc/thread-self/ns/net")))).isEqualTo(ns.inode());
            try (NetNs again = NetNs.open("nt-co")) { assertThat(again.inode()).isEqualTo(ns.inode()); }
        }
        assertThat(NetNs.exists("nt-co")).isTrue(); // closing a handle does not delete
    }

    @Test
    void twoHundredNamespacesCreatedUsedAndDeleted() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) names.add("nt-m" + i);

        long t0 = System.nanoTime();
        List<Optional<NetNsException>> made = NetNs.createAll(names);
        long t1 = System.nanoTime();
        assertThat(made).allMatch(Optional::isEmpty);
        assertThat(NetNs.list()).containsAll(names);
        assertThat(ipNetnsList()).containsAll(names);

        List<NetNs> open = new ArrayList<>();
        for (String n : names) open.add(NetNs.open(n));
        long t2 = System.nanoTime();
        for (NetNs ns : open) ns.sysctl("net.ipv4.ip_forward", "1"); // first call: thread start + setns + work
        long t3 = System.nanoTime();
        int calls = 20_000;
        NetNs one = open.get(0);
        for (int i = 0; i < 2000; i++) one.call(() -> 1); // warm-up
        long t4 = System.nanoTime();
        for (int i = 0; i < calls; i++) one.call(() -> 1);
        long t5 = System.nanoTime();
        for (NetNs ns : open) assertThat(ns.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
        for (NetNs ns : open) ns.close();

        long t6 = System.nanoTime();
        List<String> serial = new ArrayList<>();
        for (int i = 0; i < 50; i++) serial.add("nt-s" + i);
        for (String n : serial) NetNs.create(n);
        long t7 = System.nanoTime();
        List<NetNs> created = new ArrayList<>();
        for (int i = 0; i < 50; i++) created.add(NetNs.createOpen("nt-c" + i));
        long t8 = System.nanoTime();
        for (NetNs ns : created) ns.close();

        long t9 = System.nanoTime();
        assertThat(NetNs.deleteAll(names)).allMatch(Optional::isEmpty);
        long t10 = System.nanoTime();
        assertThat(NetNs.list()).doesNotContainAnyElementsOf(names);
        System.out.printf("netns timing: createAll(200) %.2f ms (%.0f us/ns); create() serial %.0f us/ns; createOpen %.0f us/ns;"
                        + " first call per ns (thread+setns+sysctl write) %.0f us; warm call() round trip %.1f us; deleteAll(200) %.2f ms (%.0f us/ns)%n",
                (t1 - t0) / 1e6, (t1 - t0) / 1e3 / 200, (t7 - t6) / 1e3 / 50, (t8 - t7) / 1e3 / 50,
                (t3 - t2) / 1e3 / 200, (t5 - t4) / 1e3 / calls, (t10 - t9) / 1e6, (t10 - t9) / 1e3 / 200);
    }

    @Test
    void identifyAndPidsFindAProcessInside() throws Exception {
        NetNs.create("nt-id");
        Process sleeper = new ProcessBuilder("nsenter", "--net=/run/netns/nt-id", "sleep", "30").start();
        try {
            long pid = sleeper.pid();
            // nsenter execs sleep in place, once it has entered.
            for (int i = 0; i < 200 && NetNs.identify(pid).isEmpty(); i++) Thread.sleep(10);
            assertThat(NetNs.identify(pid)).hasValue("nt-id");
            assertThat(NetNs.identifyAll(pid)).containsExactly("nt-id");
            assertThat(NetNs.pids("nt-id")).containsExactly(pid);
            assertThat(Observer.run(List.of("ip", "netns", "identify", Long.toString(pid))).strip()).isEqualTo("nt-id");
            assertThat(Observer.run(List.of("ip", "netns", "pids", "nt-id")).strip()).isEqualTo(Long.toString(pid));
            // The test JVM itself is in no named namespace.
            assertThat(NetNs.identify(ProcessHandle.current().pid())).isEmpty();
            assertThat(NetNs.pids("nt-id")).doesNotContain(ProcessHandle.current().pid());
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
        assertThat(NetNs.pids("nt-id")).isEmpty();
        assertThatThrownBy(() -> NetNs.pids("nt-none")).hasMessage("netns pids nt-none: no such namespace");
        assertThatThrownBy(() -> NetNs.identify(Integer.MAX_VALUE)).hasMessage("netns identify " + Integer.MAX_VALUE + ": no such process");
    }

    @Test
    void nsidSetAndGetAgreeWithIproute2() throws Exception {
        NetNs.create("nt-i1");
        NetNs.create("nt-i2");
        try (NetNs a = NetNs.open("nt-i1"); NetNs b = NetNs.open("nt-i2")) {
            assertThat(a.nsid()).isEmpty();
            assertThat(a.setNsid(7)).isEqualTo(7);
            assertThat(a.nsid()).hasValue(7);
            assertThat(Observer.run(List.of("ip", "netns", "list"))).contains("nt-i1 (id: 7)");
            assertThat(NetNs.listWithIds()).containsEntry("nt-i1", OptionalInt.of(7));
            // ip's own `ip netns set` is read back by nslab.
            Observer.run(List.of("ip", "netns", "set", "nt-i2", "9"));
            assertThat(b.nsid()).hasValue(9);
            assertThat(NetNs.listWithIds()).containsEntry("nt-i2", OptionalInt.of(9));
            // An id already given cannot be given again.
            assertThatThrownBy(() -> a.setNsid(8)).isInstanceOf(NetNsException.class).hasMessageStartingWith("netns set nt-i1 8:");
            // Ids are per viewing namespace: inside nt-i2, nt-i1 has none until one is set there; -1 lets the kernel pick.
            assertThat(a.nsidIn(b)).isEmpty();
            int picked = a.setNsidIn(b, -1);
            assertThat(picked).isGreaterThanOrEqualTo(0);
            assertThat(a.nsidIn(b)).hasValue(picked);
            assertThat(a.nsid()).hasValue(7);
        }
    }

    @Test
    void batchCreateAndInEachRunInsideEachNamespace() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) names.add("nt-b" + i);
        byte[] ifinfomsg = new byte[16];
        long t0 = System.nanoTime();
        List<NsOutcome<NsInode>> made = NetNs.createAll(names, n -> {
            // Still on the creating thread, inside the new namespace: a socket and a sysctl, no setns.
            try (Rtnl r = Rtnl.open()) {
                assertThat(r.socket().dump(new NlRequest(RtConst.RTM_GETLINK, 0, ifinfomsg, "link show"))).hasSize(1);
            }
            Sysctl.write("net.ipv4.ip_forward", "1");
            return NsInode.of(Path.of("/proc/thread-self/ns/net"));
        });
        long t1 = System.nanoTime();
        assertThat(made).allMatch(NsOutcome::ok);
        for (NsOutcome<NsInode> o : made) {
            try (NetNs ns = NetNs.open(o.name())) { assertThat(o.value()).hasValue(ns.inode()); }
        }
        long t2 = System.nanoTime();
        List<NsOutcome<String>> read = NetNs.inEach(names, n -> n + "=" + Sysctl.read("net.ipv4.ip_forward"));
        long t3 = System.nanoTime();
        assertThat(read).extracting(o -> o.value().orElseThrow()).containsExactlyElementsOf(names.stream().map(n -> n + "=1").toList());

        // Failures are per name and do not stop the others.
        List<NsOutcome<String>> mixed = NetNs.inEach(List.of("nt-b0", "nt-absent", "nt-b1"), n -> Sysctl.read("net.ipv4.nope"));
        assertThat(mixed.get(1).error()).get().extracting(Throwable::getMessage).isEqualTo("netns nt-absent: no such namespace");
        assertThat(mixed.get(0).error()).get().extracting(Throwable::getMessage).isEqualTo("sysctl net.ipv4.nope: no such key");
        List<NsOutcome<Object>> dup = NetNs.createAll(List.of("nt-b0", "nt-b100"), n -> null);
        assertThat(dup.get(0).error()).get().extracting(Throwable::getMessage).asString().contains("already exists");
        assertThat(dup.get(1).ok()).isTrue();
        assertThat(NetNs.createAll(List.of("a/b")).get(0)).get().extracting(Throwable::getMessage).asString().contains("must not contain '/'");
        System.out.printf("netns timing: createAll(100, open rtnl + dump + sysctl inside) %.0f us/ns; inEach(100, sysctl read) %.0f us/ns%n",
                (t1 - t0) / 1e3 / 100, (t3 - t2) / 1e3 / 100);
    }

    @Test
    void attachNamesTheNamespaceOfAProcessAndUnnamedOnesStayOffTheList() throws Exception {
        try (NetNs anon = NetNs.createUnnamed()) {
            assertThat(anon.name()).isEmpty();
            assertThat(NetNs.list()).noneMatch(n -> n.startsWith("nt-"));
            assertThat(anon.call(() -> NsInode.of(Path.of("/proc/thread-self/ns/net")))).isEqualTo(anon.inode());
            try (NetNs here = NetNs.current()) { assertThat(anon.inode()).isNotEqualTo(here.inode()); }

            Process sleeper = anon.start(new ProcessBuilder("sleep", "30"));
            try {
                NetNs.attach("nt-att", sleeper.pid());
                assertThat(ipNetnsList()).contains("nt-att");
                try (NetNs named = NetNs.open("nt-att")) { assertThat(named.inode()).isEqualTo(anon.inode()); }
                assertThat(NetNs.identify(sleeper.pid())).hasValue("nt-att");
                assertThatThrownBy(() -> NetNs.attach("nt-att", sleeper.pid())).hasMessageContaining("already exists");
            } finally {
                sleeper.destroyForcibly().waitFor();
            }
        }
        assertThatThrownBy(() -> NetNs.attach("nt-att2", Integer.MAX_VALUE)).hasMessage("netns attach nt-att2 " + Integer.MAX_VALUE + ": no such process");
        assertThat(NetNs.exists("nt-att2")).isFalse();
    }
}
