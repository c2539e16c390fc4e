package io.nslab.lab.engine;

import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.load.LabLoader;
import io.nslab.lab.load.Loaded;
import io.nslab.lab.model.Lab;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.netns.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lab grown by a second `up`: the new nodes' veths go to a node that
 * already exists (made by the first run), so nslab cannot choose both
 * ifindexes of the pair and must let the kernel number them; the new end
 * still gets its address.
 */
@KernelTest
class GrowLabKernelTest {
    @TempDir Path run;

    static Lab lab(String text) {
        Loaded l = LabLoader.parse(text, "grow.yaml");
        assertThat(l.problems()).isEmpty();
        return l.lab().orElseThrow();
    }

    static final String SMALL = """
            name: grow
            nodes:
              a: {}
              b: {}
            links:
              - ends: [{at: a:eth0, addresses: [10.9.0.1/24]}, {at: b:eth0, addresses: [10.9.0.2/24]}]
            """;

    static final String GROWN = SMALL + """
              - ends: [{at: a:eth1, addresses: [10.9.1.1/24]}, {at: c:eth0, addresses: [10.9.1.2/24]}]
              - ends: [{at: a:eth2, addresses: [10.9.2.1/24]}, {at: d:eth0, addresses: [10.9.2.2/24]}]
            """;

    @AfterEach void cleanUp() throws Exception {
        new LabEngine(new LabDirs(run), KernelExecutor::new).down("grow");
    }

    @Test void aNodeAddedLaterGetsItsAddressOnAVethToAnOldNode() throws Exception {
        LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
        engine.up(lab(SMALL));
        String grown = GROWN.replace("  b: {}\n", "  b: {}\n  c: {}\n  d: {}\n");
        UpResult up = engine.up(lab(grown));
        assertThat(up.changed()).isTrue();
        try (NetNs c = NetNs.open("grow.c"); var rtnl = c.rtnl(); NetNs a = NetNs.open("grow.a"); var ra = a.rtnl()) {
            int eth0 = rtnl.links().index("eth0").orElseThrow();
            assertThat(rtnl.addresses().list(eth0)).anyMatch(x -> x.prefix().toString().equals("10.9.1.2/24"));
            int eth1 = ra.links().index("eth1").orElseThrow();
            assertThat(ra.addresses().list(eth1)).anyMatch(x -> x.prefix().toString().equals("10.9.1.1/24"));
        }
        assertThat(engine.up(lab(grown)).changed()).isFalse();
    }
}
