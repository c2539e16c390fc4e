package io.nslab.netlink.testing;

import io.nslab.netlink.Rtnl;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@KernelTest
class ScratchNsTest {
    @Test
    void aScratchNamespaceHasOnlyLoopbackDown() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> { try (Rtnl r = Rtnl.open()) { assertThat(r.socket().pid()).isNotZero(); } });
            var links = Observer.ipJson(ns.path(), "link", "show");
            assertThat(links).hasSize(1);
            assertThat(links.get(0).get("ifname").asText()).isEqualTo("lo");
            assertThat(links.get(0).get("operstate").asText()).isEqualTo("DOWN");
        }
    }
}
