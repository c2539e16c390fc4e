package io.nslab.lab.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.ApplyException;
import io.nslab.lab.apply.Journal;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.apply.LabLock;
import io.nslab.lab.apply.Progress;
import io.nslab.lab.load.LabLoader;
import io.nslab.lab.model.Lab;
import io.nslab.lab.plan.LinkSpec;
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
        for (String ns : NetNs.list()) if (ns.startsWith("st.") || ns.startsWith("ch.") || ns.startsWith("sta.") || ns.startsWith("hl.") || ns.equals("victim")) NetNs.delete(ns);
        for (String l : List.of("victim0", "hlup0")) new ProcessBuilder("ip", "link", "del", l).start().waitFor();
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

    static String loAlias(String ns) throws Exception {
        var l = new ObjectMapper().readTree(sh("ip", "-n", ns, "-j", "-d", "link", "show", "dev", "lo")).get(0);
        return l.path("ifalias").asText("");
    }

    @Test
    void everyNamespaceTheLabMakesCarriesItsMarkOnLo() throws Exception {
        engine().up(two());
        assertThat(loAlias("st.a")).isEqualTo("nslab:lab:st");
        assertThat(loAlias("st.b")).isEqualTo("nslab:lab:st");
        assertThat(engine().down("st").problems()).isEmpty();
    }

    @Test
    void aForgedNamespaceStepWithoutInodeRecordOrMarkStopsDown() throws Exception {
        NetNs.create("victim");
        NetNs.create("st.c");   // someone else's, under a name the lab could have used
        engine().up(two());
        for (String forged : List.of("victim", "st.c")) {
            try (Journal j = Journal.open(run.resolve("labs/st"))) {
                j.intend(new Step.CreateNs(forged), Optional.empty());
            }
            assertThatThrownBy(() -> engine().down("st"))
                    .hasMessageContaining("names netns " + forged + ", which the lab cannot have made (no inode record, and no nslab:lab:st on its lo)")
                    .hasMessageContaining("nothing was removed");
            assertThat(NetNs.list()).contains("victim", "st.a", "st.b", "st.c");
            try (Journal j = Journal.open(run.resolve("labs/st"))) {
                j.undone(new Step.CreateNs(forged));
            }
        }
        // a run killed between making a namespace and recording its inode: the mark is the proof, and down removes it
        try (Journal j = Journal.open(run.resolve("labs/st"))) {
            j.intend(new Step.CreateNs("st.d"), Optional.empty());
        }
        NetNs.create("st.d");
        sh("ip", "-n", "st.d", "link", "set", "dev", "lo", "alias", "nslab:lab:st");
        assertThat(engine().down("st").problems()).isEmpty();
        assertThat(labNamespaces()).containsExactly("st.c");
        assertThat(NetNs.exists("victim")).isTrue();
    }

    @Test
    void aForgedLinkStepIsNeverTakenForOrdersOnAnotherLink() throws Exception {
        NetNs.create("victim");
        sh("ip", "link", "add", "victim0", "type", "veth", "peer", "name", "victim1");
        engine().up(two());
        // a link in a namespace the lab did not make: the journal was edited, nothing is removed
        try (Journal j = Journal.open(run.resolve("labs/st"))) {
            j.intend(new Step.AddLink(NsRef.of("victim"), "lo", new LinkSpec.Bridge(false)), Optional.empty());
        }
        assertThatThrownBy(() -> engine().down("st"))
                .hasMessageContaining("holds 'link add lo type bridge (netns victim)', outside the namespaces the lab made: the journal was edited");
        assertThat(labNamespaces()).containsExactly("st.a", "st.b");
        Path journal = run.resolve("labs/st/journal");
        List<String> lines = Files.readAllLines(journal);
        Files.write(journal, lines.subList(0, lines.size() - 1));   // the forged line taken out again, whole
        // a link in the namespace nslab runs in (a lab may make one there: a host-side veth end) without the lab's mark:
        // left alone, and down says so
        try (Journal j = Journal.open(run.resolve("labs/st"))) {
            j.intend(new Step.AddLink(NsRef.HOST, "victim0", new LinkSpec.Veth("victim1", NsRef.HOST)), Optional.empty());
        }
        DownResult r = engine().down("st");
        assertThat(r.problems()).singleElement().asString().contains("link del victim0 (host)")
                .contains("left alone: it does not carry nslab:lab:st (no alias), so it is not the link the lab made");
        assertThat(sh("ip", "-br", "link", "show", "dev", "victim0")).startsWith("victim0@victim1");
        assertThat(NetNs.exists("victim")).isTrue();
        sh("ip", "link", "del", "victim0");
        assertThat(engine().down("st").problems()).isEmpty();
        assertThat(labNamespaces()).isEmpty();
    }

    @Test
    void aHostSideLinkTheLabMakesCarriesItsMarkAndDownDeletesItByIt() throws Exception {
        try (var lock = LabLock.acquire(run.resolve("labs/hl"), "hl"); var k = new KernelExecutor(); Journal j = Journal.open(lock.dir())) {
            k.owner("hl");
            new Applier(k, j).apply(List.of(new Step.CreateNs("hl.a"),
                    new Step.AddLink(NsRef.HOST, "hlup0", new LinkSpec.Veth("eth0", NsRef.of("hl.a")))));
        }
        var l = new ObjectMapper().readTree(sh("ip", "-j", "-d", "link", "show", "dev", "hlup0")).get(0);
        assertThat(l.path("ifalias").asText()).isEqualTo("nslab:lab:hl");
        assertThat(l.path("ifindex").asInt()).isGreaterThanOrEqualTo(1 << 24);
        assertThat(engine().down("hl").problems()).isEmpty();
        assertThat(sh("ip", "-br", "link")).doesNotContain("hlup0");
        assertThat(NetNs.exists("hl.a")).isFalse();
    }

    @Test
    void downRecoverRemovesWhatCarriesTheMarkAndNothingElse() throws Exception {
        engine().up(two());
        // decoys: a namespace of the lab's name pattern without the mark, one with another lab's mark, another lab's name
        NetNs.create("st.decoy");
        NetNs.create("st.other");
        sh("ip", "-n", "st.other", "link", "set", "dev", "lo", "alias", "nslab:lab:sta");
        NetNs.create("sta.a");
        sh("ip", "-n", "sta.a", "link", "set", "dev", "lo", "alias", "nslab:lab:st");
        Path journal = run.resolve("labs/st/journal");
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.set(0, lines.get(0).replace("st.", "zz."));
        Files.write(journal, lines);
        assertThatThrownBy(() -> engine().down("st")).hasMessageContaining("checksum mismatch")
                .hasMessageContaining("nothing was removed. `nslab down --recover st` removes what carries the lab's mark");
        assertThat(labNamespaces()).containsExactly("st.a", "st.b", "st.decoy", "st.other");

        List<String> said = new ArrayList<>();
        DownResult r = engine().recover("st", Progress.NONE, said::add);
        assertThat(r.problems()).isEmpty();
        assertThat(r.namespaces()).containsExactly("st.a", "st.b");
        assertThat(said).contains("down st: removes netns st.a (its lo carries nslab:lab:st)",
                "down st: removes netns st.b (its lo carries nslab:lab:st)",
                "down st: leaves netns st.decoy alone: its lo carries no alias, not nslab:lab:st",
                "down st: leaves netns st.other alone: its lo carries 'nslab:lab:sta', not nslab:lab:st");
        assertThat(said.getFirst()).startsWith("down st: not believing the journal (" + journal + ":1: checksum mismatch");
        assertThat(labNamespaces()).containsExactly("st.decoy", "st.other");
        assertThat(NetNs.exists("sta.a")).isTrue();
        assertThat(Files.exists(run.resolve("labs/st"))).isFalse();
        // and the lab can be brought up again
        engine().up(two());
        assertThat(engine().down("st").problems()).isEmpty();
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
