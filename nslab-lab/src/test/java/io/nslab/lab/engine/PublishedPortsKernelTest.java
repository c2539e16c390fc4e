package io.nslab.lab.engine;

import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.model.Lab;
import io.nslab.lab.probe.Probe;
import io.nslab.lab.probe.ProbeResult;
import io.nslab.lab.probe.ProbeServer;
import io.nslab.lab.probe.Prober;
import io.nslab.testing.KernelTest;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.Sysctl;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkSlave;
import io.nslab.netlink.route.IpPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S10's published ports beyond "outside gets in": the container reaching its own
 * published port through the docker node's outside address (hairpin), and a client
 * in the docker node's namespace reaching 127.0.0.1:8080, with real TCP (HTTP).
 */
@KernelTest
class PublishedPortsKernelTest {
    @TempDir Path run;

    static Lab s10() throws Exception {
        return Validator.require(Path.of(System.getenv().getOrDefault("NSLAB_REPO", ".."), "examples/s10-docker-bridge.yaml"));
    }

    @AfterEach void cleanUp() throws Exception {
        new LabEngine(new LabDirs(run), KernelExecutor::new).down("s10");
    }

    static ProbeResult http(String ns, String address, int port) throws Exception {
        try (NetNs n = NetNs.open(ns)) {
            return n.call(() -> new Prober(Duration.ofSeconds(2)).run(new Probe.Http(IpPrefix.parseAddress(address), port, "/")));
        }
    }

    static Map<String, Boolean> hairpinModes(String ns) throws Exception {
        try (NetNs n = NetNs.open(ns)) {
            return n.call(() -> {
                Map<String, Boolean> out = new HashMap<>();
                try (Rtnl r = Rtnl.open()) {
                    for (Link l : r.links().dump())
                        if (l.slave().orElse(null) instanceof LinkSlave.BridgePort p) out.put(l.name(), p.hairpin());
                }
                return out;
            });
        }
    }

    static String sysctl(String ns, String key) throws Exception {
        try (NetNs n = NetNs.open(ns)) {
            return n.call(() -> Sysctl.read(key));
        }
    }

    @Test void aContainerReachesItsOwnPublishedPortAndTheHostReaches127001() throws Exception {
        LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
        Lab lab = s10();
        String before = KernelState.snapshot();
        engine.up(lab);
        ProbeServer nginx, gitlab;
        try (NetNs n = NetNs.open("s10.nginx")) { nginx = n.call(() -> ProbeServer.start(ProbeServer.Kind.HTTP, 80)); }
        try (NetNs n = NetNs.open("s10.gitlab")) { gitlab = n.call(() -> ProbeServer.start(ProbeServer.Kind.HTTP, 80)); }
        try {
            assertThat(hairpinModes("s10.docker")).containsEntry("veth-nginx", true).containsEntry("veth-gitlab", true);
            assertThat(sysctl("s10.docker", "net/ipv4/conf/docker0/route_localnet")).isEqualTo("1");
            // (a) hairpin: nginx -> 192.168.54.230:8080 -> DNAT back to nginx:80, source masqueraded
            ProbeResult self = http("s10.nginx", "192.168.54.230", 8080);
            assertThat(self.reached()).as(self.toString()).isTrue();
            ProbeResult gitlabSelf = http("s10.gitlab", "192.168.54.230", 9090);
            assertThat(gitlabSelf.reached()).as(gitlabSelf.toString()).isTrue();
            // (b) 127.0.0.1 publishing: a client in the docker node's namespace
            ProbeResult local = http("s10.docker", "127.0.0.1", 8080);
            assertThat(local.reached()).as(local.toString()).isTrue();
            ProbeResult local2 = http("s10.docker", "127.0.0.1", 9090);
            assertThat(local2.reached()).as(local2.toString()).isTrue();
            // the outside still gets in, and still cannot reach a container directly
            assertThat(http("s10.outside", "192.168.54.230", 8080).reached()).isTrue();
            // a second up finds everything in place (hairpin mode is observed)
            assertThat(engine.up(lab).changed()).isFalse();
        } finally {
            nginx.close();
            gitlab.close();
        }
        assertThat(engine.down(lab.name()).problems()).isEmpty();
        assertThat(KernelState.snapshot()).isEqualTo(before);
    }
}
