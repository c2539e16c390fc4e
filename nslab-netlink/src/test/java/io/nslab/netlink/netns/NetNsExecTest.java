package io.nslab.netlink.netns;

import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.LibC;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Processes started inside a namespace with `ip netns exec` semantics. Names made here start with "nx-". */
@KernelTest
class NetNsExecTest {
    @AfterEach
    void leaveNothingBehind() throws Exception {
        NetNs.deleteAll(NetNs.list().stream().filter(n -> n.startsWith("nx-")).toList());
        try { Observer.run(List.of("ip", "link", "del", "nx-v0")); } catch (IOException absent) { /* already gone */ }
        assertThat(NetNs.list()).noneMatch(n -> n.startsWith("nx-"));
    }

    static String out(Process p) throws Exception {
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("exit status of the child").isZero();
        return s;
    }

    static List<String> sysClassNet() throws IOException {
        List<String> l = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/sys/class/net"))) { for (Path p : d) l.add(p.getFileName().toString()); }
        l.sort(null);
        return l;
    }

    /**
     * Threads of this JVM whose network namespace is {@code ns}: must be none
     * once work there is done. An exec thread that was joined may take a moment
     * more to leave the kernel's task list, so this waits up to 2 s for none.
     */
    static List<String> jvmThreadsIn(NsInode ns) throws Exception {
        List<String> l = threadsIn(ns);
        for (int i = 0; i < 200 && !l.isEmpty(); i++) {
            Thread.sleep(10);
            l = threadsIn(ns);
        }
        return l;
    }

    static List<String> threadsIn(NsInode ns) throws IOException {
        List<String> l = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : d) {
                try {
                    if (NsInode.of(t.resolve("ns/net")).equals(ns)) l.add(Files.readString(t.resolve("comm")).strip());
                } catch (IOException ended) { /* thread ended meanwhile */ }
            }
        }
        return l;
    }

    @Test
    void theChildSeesOnlyTheNamespacesInterfacesInIpAndSys() throws Exception {
        NetNs.create("nx-a");
        // Set-up by iproute2: a veth pair here, one end moved into nx-a.
        Observer.run(List.of("ip", "link", "add", "nx-v0", "type", "veth", "peer", "name", "nx-v1"));
        Observer.run(List.of("ip", "link", "set", "nx-v1", "netns", "nx-a"));
        try (NetNs ns = NetNs.open("nx-a")) {
            Process p = ns.start(new ProcessBuilder("ip", "-o", "link", "show"));
            List<String> names = out(p).lines().map(l -> l.split(": ")[1].split("@")[0]).sorted().toList();
            assertThat(names).containsExactly("lo", "nx-v1");

            List<String> sys = Arrays.stream(out(ns.start(new ProcessBuilder("ls", "/sys/class/net"))).split("\\s+"))
                    .filter(s -> !s.isBlank()).sorted().toList();
            assertThat(sys).isEqualTo(names);
            // The child's namespace is the handle's.
            String link = out(ns.start(new ProcessBuilder("readlink", "/proc/self/ns/net"))).strip();
            assertThat(link).isEqualTo("net:[" + ns.inode().ino() + "]");
            // The test's own view did not change: its /sys still shows its own links.
            assertThat(sysClassNet()).contains("nx-v0").doesNotContain("nx-v1");
            assertThat(jvmThreadsIn(ns.inode())).isEmpty();
        }
    }

    @Test
    void etcNetnsFilesAreBoundOverEtcForTheChildOnly(@TempDir Path etc) throws Exception {
        NetNs.create("nx-etc");
        Files.writeString(etc.resolve("hosts"), "10.9.8.7 only-in-nx-etc\n");
        Files.writeString(etc.resolve("nx-not-in-etc"), "x\n"); // no /etc/nx-not-in-etc to bind over: skipped, like ip
        try (NetNs ns = NetNs.open("nx-etc")) {
            String hosts = out(ns.start(new ProcessBuilder("cat", "/etc/hosts"), ExecOptions.forName("nx-etc").withEtcDir(etc)));
            assertThat(hosts).isEqualTo("10.9.8.7 only-in-nx-etc\n");
            assertThat(Files.readString(Path.of("/etc/hosts"))).doesNotContain("only-in-nx-etc");
            // The default is /etc/netns/NAME, absent here: /etc/hosts is the real one.
            assertThat(ExecOptions.forName("nx-etc").etcDir()).hasValue(Path.of("/etc/netns/nx-etc"));
            assertThat(out(ns.start(new ProcessBuilder("cat", "/etc/hosts")))).doesNotContain("only-in-nx-etc");
        }
    }

    @Test
    void identifyAndPidsSeeAProcessStartedInside() throws Exception {
        NetNs.create("nx-p");
        try (NetNs ns = NetNs.open("nx-p")) {
            Process sleeper = ns.start(new ProcessBuilder("sleep", "30"));
            try {
                assertThat(NetNs.identify(sleeper.pid())).hasValue("nx-p");
                assertThat(NetNs.pids("nx-p")).containsExactly(sleeper.pid());
                assertThat(Observer.run(List.of("ip", "netns", "identify", Long.toString(sleeper.pid()))).strip()).isEqualTo("nx-p");
                assertThat(sleeper.isAlive()).isTrue();
                assertThat(sleeper.waitFor(50, TimeUnit.MILLISECONDS)).isFalse();
                assertThat(sleeper.toHandle().pid()).isEqualTo(sleeper.pid());
            } finally {
                sleeper.destroy();
            }
            assertThat(sleeper.waitFor()).isEqualTo(128 + 15);
            assertThat(sleeper.isAlive()).isFalse();
            assertThat(NetNs.pids("nx-p")).isEmpty();
        }
    }

    @Test
    void pipesRedirectsExitCodesAndErrors(@TempDir Path dir) throws Exception {
        NetNs.create("nx-io");
        try (NetNs ns = NetNs.open("nx-io")) {
            Process p = ns.start(new ProcessBuilder("sh", "-c", "echo out; echo err >&2; exit 3"));
            assertThat(new String(p.getInputStream().readAllBytes())).isEqualTo("out\n");
            assertThat(new String(p.getErrorStream().readAllBytes())).isEqualTo("err\n");
            assertThat(p.waitFor()).isEqualTo(3);
            assertThat(p.exitValue()).isEqualTo(3);

            Process merged = ns.start(new ProcessBuilder("sh", "-c", "echo a; echo b >&2").redirectErrorStream(true));
            assertThat(out(merged)).isEqualTo("a\nb\n");

            Process cat = ns.start(new ProcessBuilder("cat"));
            cat.getOutputStream().write("through stdin\n".getBytes());
            cat.getOutputStream().close();
            assertThat(out(cat)).isEqualTo("through stdin\n");

            Path f = dir.resolve("o.txt");
            Process toFile = ns.start(new ProcessBuilder("sh", "-c", "echo $NX_VAR; pwd").redirectOutput(f.toFile()).directory(dir.toFile()));
            assertThat(toFile.waitFor()).isZero();
            assertThat(Files.readString(f)).isEqualTo("\n" + dir + "\n");
            ProcessBuilder withEnv = new ProcessBuilder("sh", "-c", "echo $NX_VAR").redirectOutput(ProcessBuilder.Redirect.appendTo(f.toFile()));
            withEnv.environment().put("NX_VAR", "hello");
            assertThat(ns.start(withEnv).waitFor()).isZero();
            assertThat(Files.readString(f)).endsWith("hello\n");

            assertThat(ns.start(new ProcessBuilder("true").inheritIO()).waitFor()).isZero();
            assertThatThrownBy(() -> ns.start(new ProcessBuilder("nx-no-such-command")))
                    .isInstanceOf(NetNsException.class)
                    .hasMessage("netns exec nx-io: cannot run nx-no-such-command: ENOENT (No such file or directory)");
            assertThatThrownBy(() -> ns.start(new ProcessBuilder(List.of()))).hasMessage("netns exec nx-io: empty command");
            // The child got only 0, 1, 2: none of the JVM's descriptors.
            String fds = out(ns.start(new ProcessBuilder("ls", "/proc/self/fd")));
            assertThat(fds.split("\\s+")).containsExactlyInAnyOrder("0", "1", "2", "3"); // 3: ls's own opendir
            assertThat(jvmThreadsIn(ns.inode())).isEmpty();
        }
    }

    @Test
    void startCost() throws Exception {
        NetNs.create("nx-t");
        try (NetNs ns = NetNs.open("nx-t")) {
            for (int i = 0; i < 3; i++) ns.start(new ProcessBuilder("true")).waitFor();
            int n = 30;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) ns.start(new ProcessBuilder("true")).waitFor();
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) new ProcessBuilder("true").start().waitFor();
            long t2 = System.nanoTime();
            long t3, t4;
            try (NsStarter st = ns.starter()) {
                st.start(new ProcessBuilder("true")).waitFor();
                t3 = System.nanoTime();
                for (int i = 0; i < n; i++) st.start(new ProcessBuilder("true")).waitFor();
                t4 = System.nanoTime();
            }
            System.out.printf("netns timing: start(true)+waitFor in a netns %.2f ms; via a prepared NsStarter %.2f ms; plain ProcessBuilder %.2f ms%n",
                    (t1 - t0) / 1e6 / n, (t4 - t3) / 1e6 / n, (t2 - t1) / 1e6 / n);
        }
        assertThat(Optional.of(1)).isPresent();
    }

    /**
     * The default overlay, /etc/netns/NAME, exactly as ip netns exec uses it. This
     * machine has no /etc/netns, and the test must not create one on the host, so /etc
     * is overlaid (in the test JVM's private mount namespace only) with a tmpfs
     * upper layer where /etc/netns/NAME/hosts is written.
     */
    @Test
    void defaultEtcNetnsNameMatchesIpNetnsExec(@TempDir Path scratch) throws Exception {
        LibC.mount("nx-etc", scratch.toString(), "tmpfs", 0, null);
        boolean overlaid = false;
        try {
            Files.createDirectories(scratch.resolve("upper/netns/nx-def"));
            Files.createDirectories(scratch.resolve("work"));
            Files.writeString(scratch.resolve("upper/netns/nx-def/hosts"), "10.1.2.3 from-etc-netns\n");
            try {
                LibC.mount("overlay", "/etc", "overlay", 0,
                        "lowerdir=/etc,upperdir=" + scratch.resolve("upper") + ",workdir=" + scratch.resolve("work"));
                overlaid = true;
            } catch (ErrnoException e) {
                Assumptions.assumeTrue(false, "cannot overlay /etc here: " + e.getMessage());
            }
            NetNs.create("nx-def");
            try (NetNs ns = NetNs.open("nx-def")) {
                String ours = out(ns.start(new ProcessBuilder("cat", "/etc/hosts")));
                assertThat(ours).isEqualTo("10.1.2.3 from-etc-netns\n");
                assertThat(Observer.run(List.of("ip", "netns", "exec", "nx-def", "cat", "/etc/hosts"))).isEqualTo(ours);
                assertThat(Files.readString(Path.of("/etc/hosts"))).doesNotContain("from-etc-netns");
            }
        } finally {
            if (overlaid) LibC.umount2("/etc", LibC.MNT_DETACH);
            LibC.umount2(scratch.toString(), LibC.MNT_DETACH);
        }
    }

    /**
     * Nothing nslab did inside keeps the namespace alive after delete: once the
     * handle is closed and the child has ended, the kernel destroys it, and the
     * veth whose peer was inside disappears from the test's namespace.
     */
    @Test
    void afterWorkAndExecDeleteReallyFreesTheNamespace() throws Exception {
        NetNs.create("nx-gone");
        Observer.run(List.of("ip", "link", "add", "nx-v0", "type", "veth", "peer", "name", "nx-v1"));
        Observer.run(List.of("ip", "link", "set", "nx-v1", "netns", "nx-gone"));
        try (NetNs ns = NetNs.open("nx-gone")) {
            ns.sysctl("net.ipv4.ip_forward", "1");
            ns.rtnl().close();
            assertThat(out(ns.start(new ProcessBuilder("ip", "-o", "link")))).contains("nx-v1");
            Process p = ns.start(new ProcessBuilder("true"));
            p.onExit().get();
        }
        NetNs.delete("nx-gone");
        boolean gone = false;
        for (int i = 0; i < 500 && !gone; i++) {
            gone = Observer.ipJson("/proc/self/ns/net", "link", "show").findValuesAsText("ifname").stream().noneMatch("nx-v0"::equals);
            if (!gone) Thread.sleep(10);
        }
        assertThat(gone).as("nx-v0 removed with its namespace").isTrue();
    }

    @Test
    void aStarterGivesTheSameViewForManyStarts(@TempDir Path etc) throws Exception {
        NetNs.create("nx-st");
        Files.writeString(etc.resolve("hosts"), "10.7.7.7 starter\n");
        Observer.run(List.of("ip", "link", "add", "nx-v0", "type", "veth", "peer", "name", "nx-v1"));
        Observer.run(List.of("ip", "link", "set", "nx-v1", "netns", "nx-st"));
        try (NetNs ns = NetNs.open("nx-st"); NsStarter st = ns.starter(ExecOptions.forName("nx-st").withEtcDir(etc))) {
            for (int i = 0; i < 3; i++) {
                assertThat(out(st.start(new ProcessBuilder("ls", "/sys/class/net"))).split("\\s+")).containsExactlyInAnyOrder("lo", "nx-v1");
                assertThat(out(st.start(new ProcessBuilder("cat", "/etc/hosts")))).isEqualTo("10.7.7.7 starter\n");
            }
            assertThat(out(st.start(new ProcessBuilder("readlink", "/proc/self/ns/net"))).strip()).isEqualTo("net:[" + ns.inode().ino() + "]");
            assertThatThrownBy(() -> st.start(new ProcessBuilder("nx-no-such"))).hasMessage("netns exec nx-st: cannot run nx-no-such: ENOENT (No such file or directory)");
            st.close();
            assertThatThrownBy(() -> st.start(new ProcessBuilder("true"))).hasMessageContaining("closed");
        }
    }
}
