package io.nslab.lab.engine;

import io.nslab.lab.apply.ApplyException;
import io.nslab.lab.apply.Journal;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.load.LabLoader;
import io.nslab.lab.model.Lab;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.netns.NetNs;
import io.nslab.state.StateException;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's state as an attacker or a crash would find it (issue 17), on the
 * real kernel in the test sandbox: links planted in the state directory, a
 * umask of 000, a forged and a garbled journal, a full and a read-only state
 * file system. Observed with {@code ip netns list}, {@code stat} and the
 * victims' own content.
 */
@KernelTest
class LabStateKernelTest {
    static final String TWO = """
            name: st
            nodes:
              a:
              b:
            links:
              - ends:
                  - {at: a:e0, addresses: [10.71.0.1/24]}
                  - {at: b:e0, addresses: [10.71.0.2/24]}
            """;

    @TempDir Path run;
    final List<Path> mounts = new ArrayList<>();

    LabEngine engine() {
        return new LabEngine(new LabDirs(run), KernelExecutor::new);
    }

    static Lab two() {
        return LabLoader.parse(TWO, "two.yaml").lab().orElseThrow();
    }

    /** A chain of {@code n} namespaces: about 7 journal lines (~1 KB) per node. */
    static Lab chain(int n) {
        StringBuilder b = new StringBuilder("name: ch\nnodes:\n");
        for (int i = 0; i < n; i++) b.append("  n").append(i).append(":\n");
        b.append("links:\n");
        for (int i = 0; i + 1 < n; i++)
            b.append("  - ends:\n      - {at: n").append(i).append(":r, addresses: [10.72.").append(i).append(".1/24]}\n")
                    .append("      - {at: n").append(i + 1).append(":l, addresses: [10.72.").append(i).append(".2/24]}\n");
        var l = LabLoader.parse(b.toString(), "chain.yaml");
        assertThat(l.problems()).isEmpty();
        return l.lab().orElseThrow();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (String ns : NetNs.list()) if (ns.startsWith("st.") || ns.startsWith("ch.") || ns.equals("victim")) NetNs.delete(ns);
        for (Path m : mounts.reversed()) sh("umount", "-l", m.toString());
    }

    static List<String> labNamespaces() throws Exception {
        return NetNs.list().stream().filter(n -> n.startsWith("st.") || n.startsWith("ch.")).sorted().toList();
    }

    static String sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out.strip();
    }

    @Test
    void plantedLinksAreRefusedNamingThePathAndNothingIsMade() throws Exception {
        Path labs = run.resolve("labs");
        Files.createDirectories(labs);
        Path elsewhere = Files.createDirectory(run.resolve("elsewhere"));
        Files.createSymbolicLink(labs.resolve("st"), elsewhere);
        assertThatThrownBy(() -> engine().up(two())).isInstanceOf(StateException.class)
                .hasMessage(labs.resolve("st") + ": is a symbolic link; nslab never follows links in its state (remove it)");
        assertThat(elsewhere.toFile().list()).isEmpty();
        Files.delete(labs.resolve("st"));

        Path victim = Files.writeString(run.resolve("victim"), "precious\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        for (String name : List.of("lab.json", "journal", "lock")) {
            Path dir = Files.createDirectories(labs.resolve("st"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            Files.createSymbolicLink(dir.resolve(name), victim);
            assertThatThrownBy(() -> engine().up(two())).as(name).isInstanceOf(StateException.class)
                    .hasMessageContaining(dir.resolve(name) + ": is a symbolic link");
            assertThat(labNamespaces()).as(name).isEmpty();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
        }
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(sh("stat", "-c", "%a", victim.toString())).isEqualTo("644");
    }

    @Test
    void underUmask000StateIsOwnerOnly() throws Exception {
        assumeTrue(System.getenv("NSLAB_FULL_KERNEL") == null, "child JVMs crash in JIT-compiled code under QEMU TCG: the main lane runs this");
        String cp = Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                .filter(Objects::nonNull).collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String out = sh("sh", "-c", "umask 000; exec \"$0\" -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -cp \"$1\" "
                + UpWorker.class.getName() + " \"$2\"", java, cp, run.toString());
        assertThat(out).endsWith("UP");
        Path lab = run.resolve("labs/st");
        assertThat(sh("stat", "-c", "%a %U %F", run.resolve("labs").toString())).isEqualTo("700 root directory");
        assertThat(sh("stat", "-c", "%a %U %F", lab.toString())).isEqualTo("700 root directory");
        for (String f : List.of("journal", "lab.json", "lock"))
            assertThat(sh("stat", "-c", "%a %U %F", lab.resolve(f).toString())).as(f).isEqualTo("600 root regular file");
        assertThat(labNamespaces()).containsExactly("st.a", "st.b");
        assertThat(engine().down("st").problems()).isEmpty();
        assertThat(labNamespaces()).isEmpty();
        assertThat(Files.exists(lab)).isFalse();
    }

    @Test
    void aForgedStepStopsDownBeforeAnythingIsRemoved() throws Exception {
        NetNs.create("victim");
        engine().up(two());
        // a step appended with a valid checksum: a sysctl in a namespace the lab did not make
        try (Journal j = Journal.open(run.resolve("labs/st"))) {
            j.intend(new Step.Sysctl(NsRef.of("victim"), "net/ipv4/ip_forward", "1"), Optional.of("1"));
        }
        assertThat(sh("ip", "netns", "exec", "victim", "cat", "/proc/sys/net/ipv4/ip_forward")).isEqualTo("0");
        assertThatThrownBy(() -> engine().down("st"))
                .hasMessageContaining("down st: " + run.resolve("labs/st/journal") + ": holds 'sysctl net/ipv4/ip_forward=1 (netns victim)'"
                        + ", outside the namespaces the lab made: the journal was edited; nslab acts on none of it; nothing was removed");
        assertThat(labNamespaces()).containsExactly("st.a", "st.b");
        assertThat(NetNs.exists("victim")).isTrue();
        assertThat(sh("ip", "netns", "exec", "victim", "sysctl", "-n", "net.ipv4.ip_forward")).isEqualTo("0");
        assertThat(Files.exists(run.resolve("labs/st/journal"))).isTrue();
    }

    @Test
    void downDeletesANamespaceOnlyWhileItIsTheOneTheLabMade() throws Exception {
        engine().up(two());
        // the journal holds each namespace's identity, as stat(1) sees the bind mount
        Path journal = run.resolve("labs/st/journal");
        String text = Files.readString(journal);
        for (String ns : List.of("st.a", "st.b")) {
            String ino = sh("stat", "-L", "-c", "%i", "/run/netns/" + ns);
            assertThat(text).contains("{\"event\":\"owns\",\"key\":\"netns " + ns + "\",\"inode\":" + ino + "}");
        }
        // the lab's st.a goes away and someone else makes a namespace by that name
        NetNs.delete("st.a");
        NetNs.create("st.a");
        String foreign = sh("stat", "-L", "-c", "%i", "/run/netns/st.a");
        DownResult down = engine().down("st");
        assertThat(down.problems()).isEmpty();
        assertThat(labNamespaces()).containsExactly("st.a");
        assertThat(sh("stat", "-L", "-c", "%i", "/run/netns/st.a")).isEqualTo(foreign);
        assertThat(Files.exists(run.resolve("labs/st"))).isFalse();
    }

    @Test
    void aGarbledJournalStopsDownAndStatusWithTheLine() throws Exception {
        engine().up(two());
        Path journal = run.resolve("labs/st/journal");
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.set(1, lines.get(1).replace("st.", "xx."));
        Files.write(journal, lines);
        assertThatThrownBy(() -> engine().down("st"))
                .hasMessageStartingWith("down st: " + journal + ":2: checksum mismatch (the record was changed after nslab wrote it); nothing was removed");
        assertThatThrownBy(() -> engine().status("st")).hasMessage(journal + ":2: checksum mismatch (the record was changed after nslab wrote it)");
        assertThat(labNamespaces()).containsExactly("st.a", "st.b");
        // an empty line is damage too, never "nothing to remove"
        Files.writeString(journal, "\n");
        assertThatThrownBy(() -> engine().down("st")).hasMessageContaining(journal + ":1: not a journal record (no checksum)");
        assertThat(labNamespaces()).containsExactly("st.a", "st.b");
        assertThat(Files.isDirectory(run.resolve("labs/st"))).isTrue();
    }

    @Test
    void aFullStateFileSystemFailsInOneLineAndUpRollsBack() throws Exception {
        Path small = Files.createDirectory(run.resolve("small"));
        sh("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "nslab-test-small", small.toString());
        mounts.add(small);
        LabEngine engine = new LabEngine(new LabDirs(small), KernelExecutor::new);
        Lab lab = chain(80);
        assertThatThrownBy(() -> engine.up(lab)).isInstanceOf(ApplyException.class)
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("rolled back")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(labNamespaces()).isEmpty();
        // down clears what the journal still lists (gone already, which is success) and the directory
        assertThat(engine.down("ch").problems()).isEmpty();
        assertThat(labNamespaces()).isEmpty();
        assertThat(small.toFile().list()).containsExactly("labs");

        sh("mount", "-o", "remount,ro", small.toString());
        assertThatThrownBy(() -> engine.up(two())).isInstanceOf(StateException.class)
                .hasMessage(small.resolve("labs/st") + ": cannot create: Read-only file system");
        assertThat(labNamespaces()).isEmpty();
    }
}
