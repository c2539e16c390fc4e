package io.nslab.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.nslab.netlink.route.IpPrefix;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Pure: what the builder writes, how a spec is found, validation, names, partitions, privileges. No kernel. */
class LabSpecTest {
    @TempDir Path tmp;

    @Test void theBuilderWritesALabFileTheValidatorAccepts() {
        LabSpec s = LabSpec.builder("kv").lan("sw", "10.0.0.0/24", "a", "b").link("a:up", "10.1.0.1/30", "r:down", "10.1.0.2/30")
                .forwarding("r").route("b", "10.1.0.0/30", "10.0.0.1").build();
        Topology t = Topology.of(s, "kv-j00000");
        assertThat(t.name()).isEqualTo("kv-j00000");
        assertThat(t.nodes()).containsExactly("sw", "a", "b", "r");
        assertThat(t.addresses("b")).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.2");
        assertThat(t.addresses("a")).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.1", "10.1.0.1");
        assertThat(t.namespace("b")).isEqualTo("kv-j00000.b");
        // the instance name is made from the name in the file
        assertThat(Topology.of(s, base -> base + "-j00001").name()).isEqualTo("kv-j00001");
    }

    @Test void aBadLabIsRefusedWithEveryProblemLocated() {
        LabSpec bad = LabSpec.yaml("name: x\nnodes:\n  a:\nlinks:\n  - ends: [a:eth0, zz:eth0]\n", "bad.yaml");
        assertThatThrownBy(() -> Topology.of(bad, "x-j00000")).hasMessageStartingWith("bad.yaml: 1 problem(s); no lab was made:\nbad.yaml:5:")
                .hasMessageContaining("zz");
    }

    @Test void aSpecIsAFileElseAClassPathResource() {
        assertThat(LabSpec.locate("two.yaml", LabSpecTest.class).text()).contains("name: two");
        assertThat(LabSpec.locate("/two.yaml", LabSpecTest.class).file()).isEmpty();
        assertThatThrownBy(() -> LabSpec.locate("nope.yaml", LabSpecTest.class))
                .hasMessageStartingWith("@NetLab(\"nope.yaml\") on io.nslab.junit.LabSpecTest: no such file (in ");
    }

    @Test void instanceNamesFitAndDiffer() throws Exception {
        Owners o = Owners.take(tmp);
        String n1 = o.next("a-very-long-lab-name-of-thirty-two"), n2 = o.next("a-very-long-lab-name-of-thirty-two");
        assertThat(n1).hasSizeLessThanOrEqualTo(32).isNotEqualTo(n2).matches(Owners.namesOf(o.token()));
        assertThat(o.next("kv")).isEqualTo("kv-j" + o.token() + "2");
    }

    @Test void partitionsAreDropsFromAndToThePeersAddresses() throws Exception {
        Partitions p = new Partitions();
        assertThat(p.cut(Set.of("a"), Set.of("b", "c"))).containsExactly("a", "b", "c");
        assertThat(p.peers("a")).containsExactly("b", "c");
        assertThat(p.peers("b")).containsExactly("a");
        var tx = p.table("b", n -> List.of(IpPrefix.parseAddress(n.equals("a") ? "10.0.0.1" : "10.0.0.3")));
        assertThat(tx.toString()).contains("nslab_partition", "10.0.0.1").doesNotContain("10.0.0.3");
        assertThat(p.heal()).containsExactly("a", "b", "c");
        assertThat(p.peers("a")).isEmpty();
    }

    @Test void withoutCapabilitiesTheReasonIsNamed() {
        long net = 1L << Privileges.CAP_NET_ADMIN, sys = 1L << Privileges.CAP_SYS_ADMIN;
        assertThat(Privileges.missing(net | sys)).isEmpty();
        assertThat(Privileges.missing(0)).hasValueSatisfying(m -> assertThat(m).startsWith("nslab lab skipped: this JVM lacks CAP_NET_ADMIN and CAP_SYS_ADMIN"));
        assertThat(Privileges.missing(net)).hasValueSatisfying(m -> assertThat(m).contains("lacks CAP_SYS_ADMIN ("));
    }
}
