package io.nslab.netlink;

import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** Links.addAll: names looked up once per batch, each spec's own result. */
@KernelTest
class LinksBatchTest {
    @Test void manyLinksOnOneBridgeByNameAndAMissingMasterEach() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    Links links = r.links();
                    links.add(LinkSpec.of("br0", LinkKind.bridge()));
                    int br = links.require("br0").index();
                    List<LinkSpec> specs = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        LinkRef master = LinkRef.of(i % 100 == 42 ? "nobr" : "br0");
                        specs.add(LinkSpec.of("h" + i, LinkKind.veth("c" + i)).withMaster(master));
                    }
                    long t0 = System.nanoTime();
                    List<Optional<ErrnoException>> res = links.addAll(specs);
                    long t1 = System.nanoTime();
                    System.out.printf("links batch: 300 veths enslaved by name in %.1f ms%n", (t1 - t0) / 1e6);
                    for (int i = 0; i < 300; i++) {
                        if (i % 100 == 42) {
                            assertThat(res.get(i)).hasValueSatisfying(e -> {
                                assertThat(e.errno()).isEqualTo(Errno.ENODEV);
                                assertThat(e).hasMessageContaining("nobr");
                            });
                        } else {
                            assertThat(res.get(i)).as("spec %d", i).isEmpty();
                        }
                    }
                    assertThat(links.dump().stream().filter(l -> l.name().startsWith("h")).map(Link::master))
                            .hasSize(297).allMatch(m -> m.equals(OptionalInt.of(br)));
                }
            });
        }
    }

    static long openFds() throws Exception {
        try (var l = Files.list(Path.of("/proc/self/fd"))) { return l.count(); }
    }

    @Test void peersIntoOneNamedNamespaceAllGoThereAndNoDescriptorIsLeft() throws Exception {
        NetNs.create("lbt1");
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    Links links = r.links();
                    List<LinkSpec> specs = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        specs.add(LinkSpec.of("h" + i, LinkKind.veth("c" + i).withPeerNetns(LinkNetns.name("lbt1"))));
                    }
                    specs.add(LinkSpec.of("hx", LinkKind.veth("cx").withPeerNetns(LinkNetns.name("nosuchns"))));
                    long before = openFds();
                    List<Optional<ErrnoException>> res = links.addAll(specs);
                    assertThat(openFds()).isEqualTo(before);
                    assertThat(res.subList(0, 20)).allMatch(Optional::isEmpty);
                    assertThat(res.get(20)).hasValueSatisfying(e -> assertThat(e).hasMessageContaining("link add hx").hasMessageContaining("nosuchns"));
                }
            });
            try (NetNs n = NetNs.open("lbt1"); Rtnl r = n.rtnl()) {
                assertThat(r.links().dump().stream().filter(l -> l.name().startsWith("c"))).hasSize(20);
            }
        } finally {
            NetNs.delete("lbt1");
        }
    }
}
