package io.nslab.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.nslab.net.NetEngine.ConnectRequest;
import static io.nslab.net.NetEngine.CreateRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journal without a kernel: every command dies (an Error thrown from the
 * {@link Trace}, which nothing catches, as good as a SIGKILL for the store and
 * the in-memory kernel) at each of its points in turn; the next command must
 * find the kernel and the store agreeing. NetKillKernelTest does the same on
 * the real kernel with SIGKILL.
 */
class NetJournalTest {
    @TempDir Path dir;

    static final class Died extends Error {
        Died(String at) { super(at, null, false, false); }
    }

    /** Dies at point {@code k}; counts the points in {@code seen}. */
    static Trace dieAt(int k, List<String> seen) {
        return p -> {
            seen.add(p);
            if (seen.size() == k) throw new Died(p);
        };
    }

    interface Command {
        void run(NetEngine e) throws NetException;
    }

    /** Runs {@code cmd} dying at each point; after each death {@code next} runs and the state is checked. */
    void everyMoment(String label, Command setup, Command cmd, Command next) throws Exception {
        everyMoment(label, setup, cmd, next, null);
    }

    /** {@code journaled}: what must hold once the command's first journal line was on disk (it is then finished, not undone). */
    void everyMoment(String label, Command setup, Command cmd, Command next, Command journaled) throws Exception {
        int total;
        {
            FakeKernel k = fresh();
            List<String> seen = new ArrayList<>();
            NetEngine e = new NetEngine(new NetStore(dir.resolve(label + "-count")), k, dieAt(Integer.MAX_VALUE, seen));
            setup.run(e);
            seen.clear();
            cmd.run(e);
            total = seen.size();
        }
        assertThat(total).isGreaterThan(5);
        for (int i = 1; i <= total; i++) {
            FakeKernel k = fresh();
            Path d = dir.resolve(label + "-" + i);
            List<String> seen = new ArrayList<>();
            NetEngine dying = new NetEngine(new NetStore(d), k, dieAt(Integer.MAX_VALUE, seen));
            setup.run(dying);
            int base = seen.size();
            NetEngine crash = new NetEngine(new NetStore(d), k, dieAt(base + i, seen));
            String at;
            try {
                cmd.run(crash);
                at = "(finished)";
            } catch (Died died) {
                at = died.getMessage();
            }
            NetEngine engine = new NetEngine(new NetStore(d), k);
            next.run(engine);
            agree(label + " died at " + i + " (" + at + ")", engine, k, d);
            if (journaled != null && seen.subList(base, seen.size()).stream().anyMatch(p -> p.startsWith("journaled "))) journaled.run(engine);
        }
    }

    static FakeKernel fresh() {
        FakeKernel k = new FakeKernel();
        k.anyNamespace = true;
        return k;
    }

    /** Links in the fake host namespace are exactly the stored bridges and veths; addresses are unique; no journal left. */
    static void agree(String when, NetEngine engine, FakeKernel k, Path d) throws Exception {
        Set<String> expected = new HashSet<>();
        Set<String> addrs = new HashSet<>();
        for (Network n : engine.list()) {
            expected.add(n.bridge());
            for (Endpoint e : n.endpoints()) {
                expected.add(e.hostIfname());
                assertThat(addrs.add(e.address().getHostAddress())).as(when + ": address twice").isTrue();
            }
        }
        assertThat(k.links.getOrDefault("(current)", Set.of())).as(when).containsExactlyInAnyOrderElementsOf(expected);
        boolean anyTable = k.tables.keySet().stream().anyMatch(t -> t.startsWith("(current) "));
        assertThat(anyTable).as(when + ": tables").isEqualTo(!engine.list().isEmpty());
        try (Stream<Path> s = Files.list(d)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".journal"))).as(when).isEmpty();
        }
    }

    @Test
    void connectDyingAnywhereLeavesNoVethAndNoAddressTwice() throws Exception {
        everyMoment("connect",
                e -> { e.create(CreateRequest.of("n", "10.9.0.0/24")); e.connect(ConnectRequest.of("n", "a").withPorts("8081:80")); },
                e -> e.connect(ConnectRequest.of("n", "b").withPorts("8080:80", "127.0.0.1:9091:80", "53:53/udp")),
                e -> { e.connect(ConnectRequest.of("n", "c")); e.disconnect("n", "b"); });
    }

    @Test
    void disconnectDyingAnywhereIsFinishedByTheNextCommand() throws Exception {
        everyMoment("disconnect",
                e -> { e.create(CreateRequest.of("n", "10.9.0.0/24")); e.connect(ConnectRequest.of("n", "a").withPorts("8080:80")); },
                e -> e.disconnect("n", "a"),
                NetEngine::list,
                e -> assertThat(e.inspect("n").endpoints()).isEmpty());
    }

    @Test
    void rmDyingAnywhereIsFinishedByTheNextCommand() throws Exception {
        everyMoment("rm",
                e -> { e.create(CreateRequest.of("n", "10.9.0.0/24")); e.connect(ConnectRequest.of("n", "a").withPorts("8080:80")); },
                e -> e.remove("n", true),
                NetEngine::list,
                e -> assertThat(e.list()).isEmpty());
    }

    @Test
    void createDyingAnywhereIsUndoneOrKept() throws Exception {
        everyMoment("create", e -> { },
                e -> e.create(CreateRequest.of("n", "10.9.0.0/24")),
                e -> e.list());
        // forwarding: put back when the create was undone
    }
}
