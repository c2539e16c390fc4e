package io.nslab.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Addresses on the real kernel, in a throwaway namespace, cross-checked with {@code ip -j addr}. */
@KernelTest
class AddressesKernelTest {

    static List<JsonNode> addrInfo(ScratchNs ns, String dev) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode l : Observer.ipJson(ns.path(), "addr", "show", "dev", dev)) l.get("addr_info").forEach(out::add);
        return out;
    }

    @Test
    void ipv4AddDumpDel() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            int idx = ns.call(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int i = RoutingNet.vethUp(r.socket(), "veth0", "veth1");
                    r.addresses().add(AddressSpec.of("veth0", IpPrefix.parse("10.0.1.1/24")).withComputedBroadcast().withLabel("veth0:1"));
                    return i;
                }
            });
            List<JsonNode> ai = addrInfo(ns, "veth0");
            JsonNode v4 = ai.stream().filter(a -> a.get("family").asText().equals("inet")).findFirst().orElseThrow();
            assertThat(v4.get("local").asText()).isEqualTo("10.0.1.1");
            assertThat(v4.get("prefixlen").asInt()).isEqualTo(24);
            assertThat(v4.get("broadcast").asText()).isEqualTo("10.0.1.255");
            assertThat(v4.get("label").asText()).isEqualTo("veth0:1");
            assertThat(v4.get("scope").asText()).isEqualTo("global");

            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    Addresses addrs = r.addresses();
                    List<Address> mine = addrs.dump(AddressFamily.INET, OptionalInt.of(idx));
                    assertThat(mine).hasSize(1);
                    Address a = mine.get(0);
                    assertThat(a.prefix()).isEqualTo(IpPrefix.parse("10.0.1.1/24"));
                    assertThat(a.broadcast()).contains(IpPrefix.parseAddress("10.0.1.255"));
                    assertThat(a.label()).contains("veth0:1");
                    assertThat(a.permanent()).isTrue();
                    assertThat(addrs.dump()).anySatisfy(x -> assertThat(x.index()).isEqualTo(idx));
                    assertThat(addrs.list("veth0")).contains(a);

                    assertThatThrownBy(() -> addrs.add(idx, IpPrefix.parse("10.0.1.1/24")))
                            .isInstanceOf(ErrnoException.class)
                            .hasMessageStartingWith("addr add 10.0.1.1/24 dev #" + idx + " failed: EEXIST (File exists)");
                    addrs.del("veth0", IpPrefix.parse("10.0.1.1/24"));
                    assertThat(addrs.dump(AddressFamily.INET, OptionalInt.of(idx))).isEmpty();
                    assertThatThrownBy(() -> addrs.del("veth0", IpPrefix.parse("10.0.1.1/24")))
                            .hasMessageStartingWith("addr del 10.0.1.1/24 dev veth0 failed: EADDRNOTAVAIL (Cannot assign requested address)");
                }
            });
            assertThat(addrInfo(ns, "veth0")).noneMatch(a -> a.get("family").asText().equals("inet"));
        }
    }

    @Test
    void ipv6AddDumpDel() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = RoutingNet.vethUp(r.socket(), "veth0", "veth1");
                    Addresses addrs = r.addresses();
                    addrs.add(AddressSpec.of(idx, IpPrefix.parse("2001:db8::1/64")).withFlags(IFA_F_NODAD));
                    Address a = addrs.dump(AddressFamily.INET6).stream()
                            .filter(x -> x.prefix().toString().equals("2001:db8::1/64")).findFirst().orElseThrow();
                    assertThat(a.index()).isEqualTo(idx);
                    assertThat(a.has(IFA_F_NODAD)).isTrue();
                    assertThat(a.tentative()).isFalse();
                    assertThat(addrs.dump(AddressFamily.INET)).noneMatch(x -> x.family() == AddressFamily.INET6);
                }
            });
            assertThat(addrInfo(ns, "veth0")).anySatisfy(a -> {
                assertThat(a.get("local").asText()).isEqualTo("2001:db8::1");
                assertThat(a.get("prefixlen").asInt()).isEqualTo(64);
            });
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.addresses().del("veth0", IpPrefix.parse("2001:db8::1/64"));
                }
            });
            assertThat(addrInfo(ns, "veth0")).noneMatch(a -> a.get("local").asText().equals("2001:db8::1"));
        }
    }

    @Test
    void replaceUpdatesLifetimesAndFlushEmptiesTheDevice() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = RoutingNet.vethUp(r.socket(), "veth0", "veth1");
                    Addresses addrs = r.addresses();
                    addrs.add(idx, IpPrefix.parse("10.0.1.1/24"));
                    addrs.add(idx, IpPrefix.parse("10.0.1.2/24"));          // becomes a secondary
                    addrs.add(idx, IpPrefix.parse("10.0.9.1/24"));
                    addrs.replace(AddressSpec.of(idx, IpPrefix.parse("10.0.9.1/24")).withLifetimes(600, 300));
                    Address t = addrs.list(idx).stream().filter(a -> a.prefix().toString().equals("10.0.9.1/24")).findFirst().orElseThrow();
                    assertThat(t.validLifetime().getAsLong()).isBetween(590L, 600L);
                    assertThat(t.preferredLifetime().getAsLong()).isBetween(290L, 300L);
                    assertThat(addrs.list(idx)).anySatisfy(a -> assertThat(a.secondary()).isTrue());
                    assertThat(addrs.flush(idx, AddressFamily.INET)).isBetween(2, 3);
                    assertThat(addrs.dump(AddressFamily.INET, OptionalInt.of(idx))).isEmpty();
                }
            });
            assertThat(addrInfo(ns, "veth0")).noneMatch(a -> a.get("family").asText().equals("inet"));
        }
    }

    @Test
    void loopbackGetsHostScope() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    RoutingNet.up(r.socket(), "lo");
                    r.addresses().add("lo", IpPrefix.parse("127.0.0.2/8"));
                }
            });
            assertThat(addrInfo(ns, "lo")).anySatisfy(a -> {
                assertThat(a.get("local").asText()).isEqualTo("127.0.0.2");
                assertThat(a.get("scope").asText()).isEqualTo("host");
            });
        }
    }

    @Test
    void missingDeviceIsOneClearLine() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    Addresses addrs = r.addresses();
                    assertThatThrownBy(() -> addrs.add("nosuch", IpPrefix.parse("10.0.1.1/24")))
                            .isInstanceOf(ErrnoException.class)
                            .hasMessage("addr add 10.0.1.1/24 dev nosuch failed: ENODEV (No such device): Cannot find device \"nosuch\"")
                            .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ENODEV));
                    assertThatThrownBy(() -> addrs.add(999, IpPrefix.parse("10.0.1.1/24")))
                            .hasMessageStartingWith("addr add 10.0.1.1/24 dev #999 failed: ENODEV (No such device)");
                    assertThatThrownBy(() -> addrs.add("a-name-longer-than-15", IpPrefix.parse("10.0.1.1/24")))
                            .hasMessage("addr add 10.0.1.1/24 dev a-name-longer-than-15 failed: ENODEV (No such device): \"a-name-longer-than-15\" is not a valid device name");
                }
            });
        }
    }
}
