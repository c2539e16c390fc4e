package io.nslab.lab.run;

import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The hosts file a node sees: a router is named first by its address on the viewer's subnet. Pure. */
class HostsTest {
    static final String LAB = """
            name: hz
            nodes:
              r: {forwarding: true}
              a: {}
              b: {}
            links:
              - [{at: r:eth0, addresses: [10.0.1.1/24]}, {at: a:eth0, addresses: [10.0.1.2/24]}]
              - [{at: r:eth1, addresses: [10.0.2.1/24]}, {at: b:eth0, addresses: [10.0.2.2/24]}]
            """;

    static final String HEAD = "# written by nslab for lab hz; removed by nslab down\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
    static final String ALL = "10.0.1.1\tr r-eth0\n10.0.2.1\tr r-eth1\n10.0.1.2\ta a-eth0\n10.0.2.2\tb b-eth0\n";

    @Test void aRouterIsNamedByTheAddressTheViewerCanReach() {
        Lab lab = Validator.checkText(LAB, "hz.yaml").orThrow();
        assertThat(Hosts.text(lab, "b")).isEqualTo(HEAD + "10.0.2.1\tr\n" + ALL);
        assertThat(Hosts.text(lab, "a")).isEqualTo(HEAD + ALL);      // r's first address is on a's subnet
        assertThat(Hosts.text(lab, "r")).isEqualTo(HEAD + ALL);
    }

    /** Was cubic in the routers; its time is measured by bench/scale (a chain of 1,000 routers), not asserted here. */
    @Test void aLongChainNamesEachRoutersNeighboursFirst() {
        StringBuilder sb = new StringBuilder("name: ch\nnodes:\n");
        int n = 2000;
        for (int i = 0; i < n; i++) sb.append("  r").append(i).append(": {forwarding: true}\n");
        sb.append("links:\n");
        for (int i = 0; i + 1 < n; i++)
            sb.append("  - [{at: r").append(i).append(":right, addresses: [10.").append(i / 64 / 256).append('.').append(i / 64 % 256).append('.').append(i % 64 * 4 + 1)
              .append("/30]}, {at: r").append(i + 1).append(":left, addresses: [10.").append(i / 64 / 256).append('.').append(i / 64 % 256).append('.').append(i % 64 * 4 + 2).append("/30]}]\n");
        Lab lab = Validator.checkText(sb.toString(), "ch.yaml").orThrow();
        // each router's file: the head, its left neighbour by the address on their shared subnet, then every address once
        for (int i = 2; i < n; i += 97) {      // r1 needs no such line: r0's only address is on their subnet
            var lines = Hosts.text(lab, "r" + i).lines().toList();
            assertThat(lines).hasSize(3 + 1 + 2 * (n - 1));
            assertThat(lines.get(3)).endsWith("\tr" + (i - 1));
        }
        assertThat(Hosts.text(lab, "r5")).startsWith(HEAD.replace("hz", "ch") + "10.0.0.17\tr4\n10.0.0.1\tr0 r0-right\n");
    }
}
