package io.nslab.netlink.docs;

import io.nslab.netlink.Links;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The quick start of docs/library.md, as written there, checked with `ip -j`. */
@KernelTest
class LibraryQuickStartTest {
    @Test
    void quickStartRunsAsDocumented() throws Exception {
        NetNs.create("ns1");
        try {
            try (NetNs ns1 = NetNs.open("ns1");
                 Rtnl host = Rtnl.open()) {
                Links links = host.links();
                links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")
                        .withPeerNetns(LinkNetns.fd(ns1.fd()))));
                ns1.run(() -> {
                    try (Rtnl r = Rtnl.open()) {
                        r.addresses().add("veth1", IpPrefix.parse("10.0.0.2/24"));
                        r.links().set("veth1", LinkChange.up());
                    }
                });
                ns1.sysctl("net.ipv4.ip_forward", "1");
                assertThat(ns1.sysctl("net.ipv4.ip_forward")).isEqualTo("1");
            }
            var addrs = Observer.ipJson("/run/netns/ns1", "addr", "show", "dev", "veth1");
            assertThat(addrs.get(0).get("addr_info").get(0).get("local").asText()).isEqualTo("10.0.0.2");
            assertThat(addrs.get(0).get("flags").toString()).contains("UP");
            Observer.run(List.of("ip", "link", "del", "veth0"));
        } finally {
            NetNs.delete("ns1");
        }
    }
}
