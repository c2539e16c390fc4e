package io.nslab.lab.engine;

import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.model.Lab;
import io.nslab.testing.KernelTest;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.Links;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** S11 with a "real" NIC (external: true): moved into the node for the lab's life, given back by down under its own name. */
@KernelTest
class ExternalNicKernelTest {
    @TempDir Path run;

    @Test void anExternalInterfaceIsLentAndGivenBack() throws Exception {
        try (Rtnl r = Rtnl.open()) {
            Links links = r.links();
            links.add(LinkSpec.of("extnic", LinkKind.veth("extlan")));   // the test's stand-in for the machine's NIC
            try {
                Lab lab = Validator.checkText("""
                        name: ext
                        nodes:
                          a:
                            interfaces:
                              eth1: {kind: physical, host: extnic, external: true, addresses: [10.9.0.2/24]}
                        """, "ext.yaml").orThrow();
                LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
                String before = KernelState.snapshot();
                engine.up(lab);
                assertThat(links.get("extnic")).isEmpty();
                try (NetNs a = NetNs.open("ext.a"); Rtnl in = a.rtnl()) {
                    assertThat(in.links().get("eth1")).isPresent();
                }
                assertThat(engine.up(lab).changed()).isFalse();
                assertThat(engine.down("ext").problems()).isEmpty();
                assertThat(links.get("extnic")).isPresent();
                assertThat(KernelState.snapshot()).isEqualTo(before);
            } finally {
                links.delete("extnic");
            }
        }
    }
}
