package io.nslab.junit;

import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.engine.LabStatus;
import io.nslab.netlink.netns.NetNs;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A test JVM killed with SIGKILL while its {@code @NetLab} test holds its lab (a separate JVM running the JUnit
 * launcher, killed for real), then what cleans up after it: the next test JVM that makes a lab, or {@code nslab
 * down NAME} (the engine's {@code down}, which that command runs). Observed from outside: {@code ip netns list},
 * the mounts under /run/netns, the state directory.
 */
@KernelTest
class KilledJvmTest {
    /**
     * The held lab: its test says where it is (and the pid of a program it started in node a with
     * {@code -Dkilled.spawn=true}), then waits to be killed (at most a minute, should the parent die).
     */
    @NetLab("two.yaml")
    static class Holds {
        @Test void holds(Lab lab) throws Exception {
            // something of the test's own inside the lab: a listening socket in node b
            ServerSocket s = lab.node("b").call(() -> new ServerSocket(7300, 1, null));
            assertThat(s.getLocalSocketAddress()).isInstanceOf(InetSocketAddress.class);
            // and, when asked, a program in node a: the JVM's child, which a SIGKILL of the JVM leaves running
            long program = Boolean.getBoolean("killed.spawn") ? lab.node("a").spawn("sleep", "120").pid() : 0;
            System.out.println("UP " + lab.name() + " " + ProcessHandle.current().pid() + " " + program);
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    /** The next run: any class with a lab. */
    @NetLab("two.yaml")
    static class Next {
        @Test void next(Lab lab) throws Exception {
            assertThat(lab.node("a").call(() -> 1)).isEqualTo(1);
            System.out.println("NEXT " + lab.name());
            System.out.flush();
        }
    }

    /** The child JVM: runs one fixture class through the launcher; the exit code says whether it passed. */
    public static final class Child {
        public static void main(String[] args) {
            Class<?> fixture = args[0].equals("holds") ? Holds.class : Next.class;
            SummaryGeneratingListener s = new SummaryGeneratingListener();
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(), s);
            s.getSummary().getFailures().forEach(f -> f.getException().printStackTrace());
            System.out.flush();
            System.exit(s.getSummary().getTestsSucceededCount() == 1 ? 0 : 1);
        }
    }

    static final LabEngine ENGINE = LabEngine.system();
    static final Path OWNERS = ENGINE.dirs().root().resolve("junit");

    /** The held labs: should a check fail half-way, their leftovers (hosts files under /etc/netns too) still go. */
    final List<String> held = new ArrayList<>();
    final List<Long> programs = new ArrayList<>();

    @AfterEach void noLeftovers() throws Exception {
        for (long pid : programs) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        for (String lab : held) ENGINE.down(lab);
    }

    @Test void theNextTestJvmRemovesEverythingOfAKilledOne() throws Exception {
        Killed k = killHolder(true);
        assertThat(ProcessHandle.of(k.program).map(ProcessHandle::isAlive)).as("the program it spawned outlived it").hasValue(true);
        assertThat(NetNs.pids(k.lab + ".a")).contains(k.program);
        Process next = child("next", false);
        String line;
        try (BufferedReader r = reader(next)) {
            line = r.readLine();
        }
        assertThat(next.waitFor(60, TimeUnit.SECONDS)).as("the next JVM ends").isTrue();
        assertThat(next.exitValue()).as("the next JVM's test passed").isZero();
        assertThat(line).startsWith("NEXT two-j");
        String nextLab = line.substring("NEXT ".length());
        assertThat(nextLab).isNotEqualTo(k.lab);
        assertGone(k);
        assertThat(Files.exists(k.lockFile)).as("the dead JVM's lock file").isFalse();
        assertThat(ProcessHandle.of(k.program).map(ProcessHandle::isAlive).orElse(false)).as("the program it spawned").isFalse();
        // the next JVM's own lab went down as usual
        assertThat(namespacesOf(nextLab)).isEmpty();
        assertThat(Files.exists(ENGINE.dirs().lab(nextLab))).isFalse();
    }

    @Test void nslabDownRemovesEverythingOfAKilledOne() throws Exception {
        Killed k = killHolder(false);
        // `nslab down NAME` is LabEngine.down(NAME): everything from the journal, then the state directory
        assertThat(ENGINE.down(k.lab).problems()).isEmpty();
        assertGone(k);
        // its JVM's lock file names no lab any more; the next sweep deletes it
        assertThat(Files.exists(k.lockFile)).isTrue();
        assertThat(Owners.take(OWNERS).sweep(ENGINE)).isEmpty();
        assertThat(Files.exists(k.lockFile)).isFalse();
    }

    /** A killed holder: its lab's name, its JVM's lock file, the pid of the program it spawned (0: none). */
    record Killed(String lab, Path lockFile, long program) {}

    /** Starts a JVM whose test holds a lab, checks the lab is there, SIGKILLs the JVM, checks the lab outlived it. */
    Killed killHolder(boolean spawn) throws Exception {
        assumeTrue(System.getenv("NSLAB_FULL_KERNEL") == null, "child JVMs crash in JIT-compiled code under QEMU TCG "
                + "(SIGSEGV/SIGILL in String.substring, BigInteger.mulAdd, ...): the full-kernel lane leaves this to the main lane on the real kernel");
        Process p = child("holds", spawn);
        try {
            String line;
            try (BufferedReader r = reader(p)) {
                line = r.readLine();
                assertThat(line).as("the holding JVM's output").startsWith("UP two-j");
                String[] f = line.split(" ");
                String lab = f[1];
                held.add(lab);
                assertThat(Long.parseLong(f[2])).isEqualTo(p.pid());
                String token = lab.substring(lab.indexOf("-j") + 2, lab.indexOf("-j") + 6);
                Path lock = OWNERS.resolve(token + ".lock");
                assertThat(namespacesOf(lab)).containsExactly(lab + ".a", lab + ".b");
                assertThat(Files.exists(lock)).isTrue();
                p.destroyForcibly();                                   // SIGKILL: no shutdown hook, no teardown
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("killed by SIGKILL").isEqualTo(137);
                // what it left: the namespaces (mounted under /run/netns), the veth, the journal, its lock file
                assertThat(namespacesOf(lab)).containsExactly(lab + ".a", lab + ".b");
                assertThat(Net.run("ip", "-n", lab + ".a", "-br", "link", "show", "eth0")).startsWith("eth0@");
                assertThat(netnsMounts(lab)).hasSize(2);
                assertThat(Files.exists(ENGINE.dirs().lab(lab).resolve("journal"))).isTrue();
                assertThat(ENGINE.status()).extracting(LabStatus::lab).contains(lab);
                long program = Long.parseLong(f[3]);
                if (program != 0) programs.add(program);
                return new Killed(lab, lock, program);
            }
        } finally {
            if (p.isAlive()) p.destroyForcibly().waitFor();
        }
    }

    /** Nothing of the killed lab: no namespace (ip netns list, /run/netns mounts), no state, not in status. */
    static void assertGone(Killed k) throws Exception {
        assertThat(namespacesOf(k.lab)).isEmpty();
        assertThat(Net.run("ip", "netns", "list")).doesNotContain(k.lab + ".");
        assertThat(netnsMounts(k.lab)).isEmpty();
        assertThat(Files.exists(ENGINE.dirs().lab(k.lab))).isFalse();
        assertThat(ENGINE.status()).extracting(LabStatus::lab).doesNotContain(k.lab);
    }

    static List<String> namespacesOf(String lab) throws Exception {
        return NetNs.list().stream().filter(n -> n.startsWith(lab + ".")).sorted().toList();
    }

    /** Mount points of the lab's namespaces in /proc/self/mountinfo (the bind mounts ip netns makes too). */
    static List<String> netnsMounts(String lab) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> l.split(" ")[4])
                .filter(m -> m.startsWith("/run/netns/" + lab + ".")).toList();
    }

    static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** A test JVM like this one (same class path, same sandbox: it inherits this JVM's namespaces). */
    static Process child(String fixture, boolean spawn) throws Exception {
        String cp = Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                .filter(Objects::nonNull).collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
                "-Dkilled.spawn=" + spawn,
                "-cp", cp, Child.class.getName(), fixture));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
