package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.cli.Main;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.nslab.cli.kernel.Cli.JSON;
import static io.nslab.cli.kernel.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The corpus (src/test/resources/ip-corpus, each script naming its source): real scripts that build
 * namespace networks with ip (and iproute2's bridge tool), run twice in throwaway network + mount namespaces
 * (their own /run/netns), once with iproute2's ip and bridge and once with nslab as "ip" and "bridge" on the PATH. Compared: every ip invocation in order
 * with whether it succeeded, the script's own output (its pings) and exit status, and the kernel state
 * of every namespace it made (links, addresses, all routing tables, permanent neighbours, rules), as ip
 * -j reports it after {@link IpCompatTest#normalise} (ifindexes, random MACs, link-local addresses,
 * timers dropped).
 */
@KernelTest
@Execution(ExecutionMode.CONCURRENT) // each script has its own namespaces: three at once (junit-platform.properties)
class IpCorpusTest {
    static final String DIR = "/ip-corpus/";

    static Stream<String> scripts() throws IOException {
        try (InputStream in = IpCorpusTest.class.getResourceAsStream(DIR + "INDEX")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList().stream();
        }
    }

    /** What one run left: the invocations with their success, the script's output, the state. */
    record Outcome(String calls, String output, String state) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void sameAsIp(String script, @TempDir Path tmp) throws Exception {
        assumeTrue(System.getenv("NSLAB_FULL_KERNEL") == null, "child JVMs crash in JIT-compiled code under QEMU TCG: the main lane runs the corpus");
        Path file = tmp.resolve(script);
        try (InputStream in = IpCorpusTest.class.getResourceAsStream(DIR + script)) {
            Files.write(file, Objects.requireNonNull(in, script).readAllBytes());
        }
        Outcome ip = runWith(realIp(), file, tmp.resolve("ip"));
        Outcome nslab = runWith(nslabLauncher(tmp), file, tmp.resolve("nslab"));
        assertThat(nslab.calls()).as("%s: the ip invocations and whether each succeeded", script).isEqualTo(ip.calls());
        assertThat(nslab.output()).as("%s: the script's output and exit status", script).isEqualTo(ip.output());
        assertThat(nslab.state()).as("%s: the kernel state it left", script).isEqualTo(ip.state());
    }

    static String realIp() throws Exception {
        return run(List.of("sh", "-c", "command -v ip")).out().strip();
    }

    /** A launcher for nslab in a JVM of its own, as a script would start ./nslab. */
    static String nslabLauncher(Path tmp) throws IOException {
        String cp = Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                .filter(Objects::nonNull).collect(Collectors.joining(File.pathSeparator));
        Path l = tmp.resolve("nslab-launcher");
        Files.writeString(l, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -Xshare:auto --enable-native-access=ALL-UNNAMED -cp '" + cp + "' "
                + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(l, PosixFilePermissions.fromString("rwxr-xr-x"));
        return l.toString();
    }

    /**
     * Runs {@code script} in a fresh network + mount namespace whose PATH has an "ip" that logs each
     * call and runs {@code ip}; then dumps, with the real ip, the state of every namespace there.
     */
    static Outcome runWith(String ip, Path script, Path work) throws Exception {
        Files.createDirectories(work.resolve("bin"));
        Path wrapper = work.resolve("bin/ip");
        Files.writeString(wrapper, "#!/bin/sh\n'" + ip + "' \"$@\"\nrc=$?\n"
                + "if [ $rc -eq 0 ]; then s=ok; else s=failed; fi\necho \"$s: ip $*\" >> '" + work.resolve("calls") + "'\nexit $rc\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        String real = realIp();
        // iproute2's bridge tool: the real one beside the real ip, else nslab's ("nslab bridge ...")
        Path bridge = work.resolve("bin/bridge");
        String tool = ip.equals(real) ? "'" + run(List.of("sh", "-c", "command -v bridge")).out().strip() + "'" : "'" + ip + "' bridge";
        Files.writeString(bridge, "#!/bin/sh\n" + tool + " \"$@\"\nrc=$?\n"
                + "if [ $rc -eq 0 ]; then s=ok; else s=failed; fi\necho \"$s: bridge $*\" >> '" + work.resolve("calls") + "'\nexit $rc\n");
        Files.setPosixFilePermissions(bridge, PosixFilePermissions.fromString("rwxr-xr-x"));
        String inner = String.join("\n",
                "mkdir -p /run/netns && mount -t tmpfs nslab-corpus /run/netns",
                "mount -t sysfs sysfs /sys 2>/dev/null",
                "touch '" + work.resolve("calls") + "'",
                "cd '" + work + "'",
                "PATH='" + work.resolve("bin") + "':$PATH bash '" + script + "' > out 2> err",
                "echo \"exit $?\" >> out",
                "dump() { for w in 'link show' 'addr show' 'route show table all' '-6 route show table all' 'neigh show nud permanent' 'rule show' '-6 rule show'; do "
                        + "echo \"== $1 $w\"; '" + real + "' $2 -j $w; echo; done; }",
                "dump root ''",
                "for n in $(ls /run/netns); do dump $n \"-n $n\"; done",
                "ls /run/netns | sort | sed 's/^/netns /'",
                "");
        var r = run(List.of("unshare", "--net", "--mount", "--propagation", "private", "sh", "-c", inner));
        String state = normaliseDump(r.out());
        // mktemp's names differ from run to run
        String calls = Files.readString(work.resolve("calls")).replaceAll("/tmp/tmp\\.\\w+", "/tmp/tmp.X");
        return new Outcome(calls, Files.readString(work.resolve("out")), state);
    }

    /** The dump with each ip -j answer normalised (IpCompatTest.normalise), one object a line. */
    static String normaliseDump(String dump) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : dump.split("\n")) {
            if (line.startsWith("== ") || line.startsWith("netns ")) {
                out.add(line);
                continue;
            }
            if (line.isBlank()) continue;
            JsonNode n = JSON.readTree(line);
            List<String> rows = new ArrayList<>();
            for (JsonNode o : n) {
                String s = IpCompatTest.normalise(o);
                if (!s.isEmpty()) rows.add(s);
            }
            out.addAll(rows);
        }
        return String.join("\n", out) + "\n";
    }
}
