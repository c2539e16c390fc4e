package io.nslab.lab.run;

import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.ApplyException;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.apply.Progress;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Report;
import io.nslab.lab.validate.Validator;
import io.nslab.lab.verify.Verifier;
import io.nslab.netlink.netns.NetNs;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code run:} processes, hosts files and sysctls on the real kernel, checked through nslab and through
 * independent observers: /proc (the process's own network namespace link), {@code ip netns exec ... getent},
 * {@code nsenter ... cat /proc/sys/...}, a real TCP connection from another node.
 */
@KernelTest
class RunKernelTest {
    @TempDir Path run;
    @TempDir Path tmp;

    private LabEngine engine() {
        return new LabEngine(new LabDirs(run), KernelExecutor::new);
    }

    private static Lab lab(String text) {
        Report r = Validator.checkText(text, "run.yaml");
        assertThat(r.problems()).isEmpty();
        return r.orThrow();
    }

    @AfterEach void cleanUp() throws Exception {
        for (String l : List.of("rk1", "rk2", "rk3", "rk4")) engine().down(l);
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static final String WEB = """
            name: rk1
            nodes:
              web:
                run:
                  - {cmd: [nc, -lk, "8080"], ready: tcp 8080}
                sysctls: {net.core.somaxconn: 512, net.ipv4.ip_forward: 1}
              client:
                run:
                  - {cmd: [sh, -c, "echo started; getent hosts web web-eth0 > %1$s/hosts.out; ls /sys/class/net > %1$s/sysnet.out; pwd > %1$s/pwd.out"], ready: exit}
                  - {cmd: [sh, -c, "echo hi from client; exec sleep 300"], ready: 200ms}
            links:
              - ends: [{at: web:eth0, addresses: [10.77.0.1/24]}, {at: client:eth0, addresses: [10.77.0.2/24]}]
            expect:
              - client reaches web tcp 8080
            """;

    @Test void processesRunInTheirNodeResolveNamesAndDownStopsThem() throws Exception {
        Lab lab = lab(WEB.formatted(tmp));
        engine().up(lab);
        Path dir = run.resolve("labs/rk1");
        List<LabRuntime.ProcInfo> procs = LabRuntime.processes(lab, dir);
        assertThat(procs).extracting(LabRuntime.ProcInfo::state).containsExactly("running", "exited", "running");

        // the process's own namespace is the node's (an independent look through /proc)
        long web = procs.getFirst().pid().orElseThrow();
        assertThat(Files.readAttributes(Path.of("/proc/" + web + "/ns/net"), "unix:ino").get("ino"))
                .isEqualTo(Files.readAttributes(Path.of("/run/netns/rk1.web"), "unix:ino").get("ino"));
        try (NetNs ns = NetNs.open("rk1.web"); NetNs of = NetNs.openPid(web)) {
            assertThat(of.inode()).isEqualTo(ns.inode());
        }
        assertThat(Files.readString(Path.of("/proc/" + web + "/cmdline")).replace('\0', ' ')).startsWith("nc -lk 8080");

        // names resolve for run: processes and for ip netns exec (the same /etc/netns/LAB.NODE bind)
        assertThat(Files.readString(tmp.resolve("hosts.out"))).contains("10.77.0.1").contains("web");
        assertThat(sh("ip", "netns", "exec", "rk1.client", "getent", "hosts", "web")).startsWith("10.77.0.1");
        assertThat(sh("ip", "netns", "exec", "rk1.web", "getent", "hosts", "client-eth0")).startsWith("10.77.0.2");

        // its own /sys (the node's links only), / as working directory, and a mount table without the
        // machine's namespace files (a copy of the spawner's base, not of the host's table)
        assertThat(Files.readString(tmp.resolve("sysnet.out")).lines().toList()).containsExactlyInAnyOrder("eth0", "lo");
        assertThat(Files.readString(tmp.resolve("pwd.out")).trim()).isEqualTo("/"); // workdir's default
        String mounts = Files.readString(Path.of("/proc/" + web + "/mountinfo"));
        assertThat(mounts).doesNotContain(" - nsfs ");
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).contains(" - nsfs ");
        assertThat(mounts).contains("/etc/hosts").contains(" /sys ");

        // sysctls of the node's namespace
        assertThat(sh("nsenter", "--net=/run/netns/rk1.web", "cat", "/proc/sys/net/core/somaxconn").trim()).isEqualTo("512");
        assertThat(sh("nsenter", "--net=/run/netns/rk1.web", "cat", "/proc/sys/net/ipv4/ip_forward").trim()).isEqualTo("1");

        // logs; a real TCP exchange from the other node reaches the run: process (no serve: needed)
        assertThat(Files.readString(dir.resolve("logs/client.1.log"))).contains("hi from client");
        assertThat(sh("ip", "netns", "exec", "rk1.client", "nc", "-z", "-w", "2", "10.77.0.1", "8080")).isEmpty();
        var report = new Verifier(Duration.ofSeconds(2)).verify(lab);
        assertThat(report.passed()).as(report.table()).isTrue();

        // a second up keeps what runs, and finds the sysctls in place (512 reads back whole, not "5")
        assertThat(engine().up(lab).changed()).isFalse();
        assertThat(LabRuntime.processes(lab, dir).getFirst().pid()).contains(web);

        var down = engine().down("rk1");
        assertThat(down.problems()).isEmpty();
        assertThat(ProcStat.of(web).filter(ProcStat::alive)).isEmpty();
        for (LabRuntime.ProcInfo p : procs) p.pid().ifPresent(pid -> assertThat(ProcStat.of(pid).filter(ProcStat::alive)).isEmpty());
        assertThat(Path.of("/etc/netns/rk1.web")).doesNotExist();
        assertThat(Path.of("/etc/netns/rk1.client")).doesNotExist();
        assertThat(NetNs.exists("rk1.web")).isFalse();
        assertThat(run.resolve("labs/rk1")).doesNotExist();
    }

    @Test void aProcessDyingBeforeReadyFailsUpWithItsLogAndLeavesNothing() throws Exception {
        Lab lab = lab("""
                name: rk2
                nodes:
                  a:
                    run:
                      - {cmd: [sh, -c, "sleep 300"], ready: 100ms}
                  b:
                    run:
                      - {cmd: [sh, -c, "echo cannot bind; exit 3"], ready: tcp 9000}
                """);
        assertThatThrownBy(() -> engine().up(lab)).isInstanceOf(ApplyException.class)
                .hasMessageContaining("node b run[0]").hasMessageContaining("status 3").hasMessageContaining("cannot bind")
                .hasMessageContaining("rolled back");
        assertThat(NetNs.exists("rk2.a")).isFalse();
        assertThat(Path.of("/etc/netns/rk2.a")).doesNotExist();
        assertThat(Stopper.withToken("rk2:")).isEmpty();
    }

    @Test void theHostsFilesWrittenBesideAFailedApplyAreRemovedAgain() throws Exception {
        Lab lab = lab("""
                name: rk4
                nodes:
                  a:
                    run:
                      - {cmd: [sleep, "300"], ready: 100ms}
                  b:
                links:
                  - ends: [{at: a:eth0, addresses: [10.78.0.1/24]}, {at: b:eth0, addresses: [10.78.0.2/24]}]
                """);
        Path hosts = Path.of("/etc/netns/rk4.a/hosts");
        // the network's apply fails at its third step, once the hosts files written beside it are there
        Applier.FaultHook fault = (i, step) -> {
            if (i < 2) return;
            for (int w = 0; w < 500 && !Files.exists(hosts); w++) Thread.sleep(10);
            assertThat(hosts).as("written while the network is applied").exists();
            throw new IOException("injected fault at step " + i);
        };
        assertThatThrownBy(() -> engine().up(lab, Optional.empty(), Progress.NONE, fault)).hasMessageContaining("injected fault");
        assertThat(hosts).doesNotExist();
        assertThat(Path.of("/etc/netns/rk4.a")).doesNotExist();
        assertThat(Path.of("/etc/netns/rk4.b")).doesNotExist();
        assertThat(NetNs.exists("rk4.a")).isFalse();
        assertThat(Stopper.withToken("rk4:")).isEmpty();
        assertThat(RunJournal.read(run.resolve("labs/rk4")).hostsFiles()).isEmpty();
    }

    @Test void afterOrdersNodesAndACycleIsRefusedAtValidate() throws Exception {
        Path flag = tmp.resolve("db-ready");
        Lab lab = lab("""
                name: rk3
                nodes:
                  web:
                    run:
                      - {cmd: [sh, -c, "test -e %s && exec sleep 300"], ready: 300ms, after: [db]}
                  db:
                    run:
                      - {cmd: [sh, -c, "sleep 0.3; touch %s; exec sleep 300"], ready: {file: %s}}
                """.formatted(flag, flag, flag));
        engine().up(lab);
        assertThat(LabRuntime.processes(lab, run.resolve("labs/rk3"))).extracting(LabRuntime.ProcInfo::state).containsOnly("running");
        assertThat(Validator.checkText("""
                name: rk3
                nodes:
                  a: {run: [{cmd: [sh], after: [b]}]}
                  b: {run: [{cmd: [sh], after: [a]}]}
                """, "c.yaml").problems()).anyMatch(p -> p.message().contains("cycle"));
    }

    @Test void downNeverSignalsAPidThatSomeoneElseReused() throws Exception {
        Process bystander = new ProcessBuilder("sleep", "300").start();
        try {
            Path dir = run.resolve("labs/rk4");
            try (RunJournal j = RunJournal.open(dir)) {
                long realStart = ProcStat.of(bystander.pid()).orElseThrow().start();
                j.append(RunJournal.Entry.start("a", 0, "x", "rk4:r:a:0", List.of("sleep", "300")));
                j.append(RunJournal.Entry.pid("a", 0, bystander.pid(), realStart - 1)); // the journaled process started earlier
            }
            assertThat(LabRuntime.stop("rk4", dir)).isEmpty();
            assertThat(bystander.isAlive()).isTrue();
        } finally {
            bystander.destroyForcibly().waitFor();
        }
    }

    @Test void aProcessSpawnedJustBeforeACrashIsFoundByItsToken() throws Exception {
        Path dir = run.resolve("labs/rk4");
        try (RunJournal j = RunJournal.open(dir)) {
            j.append(RunJournal.Entry.start("a", 0, "x", "rk4:r:a:0", List.of("sleep", "300"))); // intent journaled; up died before the pid line
        }
        ProcessBuilder pb = new ProcessBuilder("sleep", "300");
        pb.environment().put(LabRuntime.TOKEN, "rk4:r:a:0");
        Process orphan = pb.start();
        try {
            assertThat(LabRuntime.stop("rk4", dir)).isEmpty();
            assertThat(orphan.waitFor(2, TimeUnit.SECONDS)).isTrue();
        } finally {
            orphan.destroyForcibly();
        }
    }
}
