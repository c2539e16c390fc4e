package io.nslab.junit;

import io.nslab.testing.KernelTest;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.engine.LabStatus;
import io.nslab.netlink.netns.NetNs;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Outcomes seen from outside: teardown after failures and aborts, parallel classes, a dead JVM's leftovers. */
@KernelTest
class LifecycleTest {
    static final Set<String> NAMES = ConcurrentHashMap.newKeySet();

    @NetLab("two.yaml")
    static class Failing {
        @Test void fails(Lab lab) { NAMES.add(lab.name()); fail("on purpose"); }
        @Test void aborts(Lab lab) { abort("on purpose"); }
        @Test @NetLab("two.yaml") void failsWithItsOwnLab(Lab lab) { NAMES.add(lab.name()); throw new IllegalStateException("on purpose"); }
    }

    @NetLab("two.yaml") static class P1 { @Test void t(Lab lab) throws Exception { ping(lab); } }
    @NetLab("two.yaml") static class P2 { @Test void t(Lab lab) throws Exception { ping(lab); } }
    @NetLab("two.yaml") static class P3 { @Test void t(Lab lab) throws Exception { ping(lab); } }
    @NetLab("two.yaml") static class P4 { @Test void t(Lab lab) throws Exception { ping(lab); } }
    @NetLab("two.yaml") static class P5 { @Test void t(Lab lab) throws Exception { ping(lab); } }
    @NetLab("two.yaml") static class P6 { @Test void t(Lab lab) throws Exception { ping(lab); } }

    static void ping(Lab lab) throws Exception {
        NAMES.add(lab.name());
        var served = Net.echoOnce(lab.node("b"), 7200);
        assertThat(lab.node("a").call(() -> Net.hello(lab.node("b").address(), 7200, 3000))).isEqualTo("hello");
        served.get();
    }

    static TestExecutionSummary launch(Map<String, String> config, Class<?>... classes) {
        LauncherDiscoveryRequestBuilder b = LauncherDiscoveryRequestBuilder.request().configurationParameters(config);
        for (Class<?> c : classes) b.selectors(selectClass(c));
        LauncherDiscoveryRequest req = b.build();
        Launcher l = LauncherFactory.create();
        SummaryGeneratingListener s = new SummaryGeneratingListener();
        l.execute(req, s);
        return s.getSummary();
    }

    /** The namespaces of the labs the fixtures had that are still there. */
    static List<String> leftovers() throws Exception {
        return NetNs.list().stream().filter(n -> NAMES.contains(n.substring(0, n.indexOf('.')))).toList();
    }

    @Test void aFailingOrAbortedTestStillTearsItsLabDown() throws Exception {
        NAMES.clear();
        TestExecutionSummary s = launch(Map.of(), Failing.class);
        assertThat(s.getTestsFailedCount()).isEqualTo(2);
        assertThat(s.getTestsAbortedCount()).isEqualTo(1);
        assertThat(NAMES).hasSize(2);
        assertThat(leftovers()).isEmpty();
        String ip = Net.run("ip", "netns", "list");
        for (String n : NAMES) assertThat(ip).doesNotContain(n + ".");
        assertThat(LabEngine.system().status()).extracting(LabStatus::lab).noneMatch(NAMES::contains);
    }

    @Test void classesRunInParallelEachWithItsOwnLab() throws Exception {
        NAMES.clear();
        TestExecutionSummary s = launch(Map.of("junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent"),
                P1.class, P2.class, P3.class, P4.class, P5.class, P6.class);
        assertThat(s.getFailures()).isEmpty();
        assertThat(s.getTestsSucceededCount()).isEqualTo(6);
        assertThat(NAMES).hasSize(6);
        assertThat(leftovers()).isEmpty();
    }

    @Test void theLabsOfADeadJvmAreBroughtDownByTheNext() throws Exception {
        LabEngine engine = LabEngine.system();
        Path dir = engine.dirs().root().resolve("junit");
        Files.createDirectories(dir);
        // a JVM that took token "zzzz", made a lab and died: its lock file is there, and nobody holds it
        try (FileChannel ch = FileChannel.open(dir.resolve("zzzz.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            assertThat(ch).isNotNull();
        }
        Lab.up(engine, LabSpec.locate("two.yaml", LifecycleTest.class), "two-jzzzz0");
        assertThat(NetNs.exists("two-jzzzz0.a")).isTrue();
        // a live JVM's lab is left alone: this one's own token
        Owners next = Owners.take(dir);
        Lab alive = Lab.up(engine, LabSpec.locate("two.yaml", LifecycleTest.class), next.next("two"));
        try {
            assertThat(Owners.take(dir).sweep(engine)).containsExactly("two-jzzzz0");
            assertThat(NetNs.exists("two-jzzzz0.a")).isFalse();
            assertThat(Files.exists(dir.resolve("zzzz.lock"))).isFalse();
            assertThat(NetNs.exists(alive.name() + ".a")).isTrue();
        } finally {
            alive.close();
        }
    }
}
