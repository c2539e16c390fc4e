package io.nslab.netlink.fullkernel;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A dummy interface: created up, addressed, answering on its address, deleted. */
@KernelTest
@Tag("full-kernel")
class DummyKernelTest {
    @BeforeEach
    void needsDummy() {
        KernelKinds.requireKind("dummy", "CONFIG_DUMMY");
    }

    @Test
    void dummyIsCreatedAddressedAndDeleted() throws Exception {
        try (Node n = Node.create("n")) {
            n.run((links, addresses, routes) -> {
                links.add(LinkSpec.of("d0", LinkKind.dummy()).withMtu(9000).withUp(true));
                addresses.add("d0", IpPrefix.parse("10.200.3.1/24"));
            });
            var shown = Observer.ipJson(n.path(), "link", "show", "d0").get(0);
            assertThat(shown.path("linkinfo").path("info_kind").asText()).isEqualTo("dummy");
            assertThat(shown.path("mtu").asInt()).isEqualTo(9000);
            var decoded = n.call((links, addresses, routes) -> links.require("d0"));
            assertThat(decoded.kind()).contains(LinkKind.dummy());
            assertThat(decoded.isUp()).isTrue();

            Ping.assertReaches(n, "10.200.3.1");
            // The connected route points at the dummy, as for any interface.
            assertThat(Observer.ipJson(n.path(), "route", "show", "10.200.3.0/24").get(0).path("dev").asText()).isEqualTo("d0");

            n.run((links, addresses, routes) -> links.delete("d0"));
            Optional<Link> gone = n.call((links, addresses, routes) -> links.get("d0"));
            assertThat(gone).isEmpty();
        }
    }
}
