package io.nslab.lab.load;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Proto;
import io.nslab.lab.model.Target;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LabLoaderTest {
    @Test
    void loadsTheDefaultLab() {
        Loaded l = LabLoader.loadResource("/io/nslab/lab/default-lab.yaml");
        assertThat(l.problems()).isEmpty();
        Lab lab = l.lab().orElseThrow();
        assertThat(lab.name()).isEqualTo("s10");
        assertThat(lab.nodes()).extracting(Node::name).containsExactly("docker", "nginx", "gitlab", "outside");
        Node docker = lab.node("docker").orElseThrow();
        assertThat(docker.forwarding().ipv4()).isTrue();
        assertThat(docker.interfaces()).extracting(i -> i.name()).containsExactly("docker0", "ens41", "veth-nginx", "veth-gitlab");
        assertThat(docker.iface("docker0").orElseThrow().kind()).isEqualTo(new IfaceKind.Bridge(List.of("veth-nginx", "veth-gitlab"), false));
        assertThat(docker.iface("ens41").orElseThrow().kind()).isEqualTo(new IfaceKind.Veth(new IfRef("outside", "eth0"), true));
        assertThat(docker.nat()).singleElement().satisfies(m -> {
            assertThat(m.source().toString()).isEqualTo("172.17.0.0/16");
            assertThat(m.notOut()).contains("docker0");
        });
        assertThat(docker.publish()).hasSize(2);
        assertThat(lab.publishTarget("docker", docker.publish().get(0)).orElseThrow().getHostAddress()).isEqualTo("172.17.10.10");
        assertThat(lab.masterOf(new IfRef("docker", "veth-nginx")).orElseThrow().name()).isEqualTo("docker0");
        assertThat(lab.links()).hasSize(3);
        assertThat(lab.expectations()).hasSize(9);
        assertThat(lab.expectations().get(0).to()).isEqualTo(new Target.IfaceTarget(new IfRef("docker", "ens41")));
        assertThat(lab.expectations().get(0).proto()).isEqualTo(Proto.HTTP);
        assertThat(lab.expectations().get(6).reach()).isFalse();
        assertThat(lab.expectations().get(4).proto()).isEqualTo(Proto.ICMP);
        assertThat(lab.node("nginx").orElseThrow().routes().get(0).isDefault()).isTrue();
        assertThat(lab.node("nginx").orElseThrow().iface("eth0").orElseThrow().ipv6()).isFalse();
    }

    @Test
    void keepsLocations() {
        Loaded l = LabLoader.parse("""
                name: t
                nodes:
                  a:
                    interfaces:
                      br0: {kind: bridge, mtu: 1400}
                """, "t.yaml");
        assertThat(l.problems()).isEmpty();
        var br = l.lab().orElseThrow().node("a").orElseThrow().iface("br0").orElseThrow();
        assertThat(br.src().at().toString()).isEqualTo("t.yaml:5:7");
        assertThat(br.src().field("mtu").toString()).isEqualTo("t.yaml:5:32");
    }

    @Test
    void reportsEveryStructuralProblemAtOnce() {
        Loaded l = LabLoader.parse("""
                name: t
                nodez: {}
                nodes:
                  a:
                    interfaces:
                      br0: {kind: bridge, mtu: big, adresses: [10.0.0.1/24]}
                      v0: {kind: vxlan}
                """, "t.yaml");
        assertThat(l.problems()).extracting(Object::toString).containsExactlyInAnyOrder(
                "t.yaml:2:1: unknown field 'nodez' in lab (did you mean 'nodes'? known fields: description, expect, links, name, nodes)",
                "t.yaml:6:32: interface br0 of node a: field 'mtu' must be a whole number 68..65535, not the text 'big' (write the MTU as a number without quotes)",
                "t.yaml:6:37: unknown field 'adresses' in interface br0 of node a (did you mean 'addresses'? known fields: addresses, impair, ipv6, kind, mac, mtu, ports, stp, up)",
                "t.yaml:7:11: interface v0 of node a: missing field 'vni' (add 'vni:' the VXLAN network identifier, 0..16777215 (the seeds use 100))");
    }

    @Test
    void json() {
        Loaded l = LabLoader.parse("{\"name\": \"j\", \"nodes\": {\"a\": null, \"b\": {}}, \"links\": [[\"a:eth0\", \"b:eth0\"]]}", "j.json");
        assertThat(l.problems()).isEmpty();
        assertThat(l.lab().orElseThrow().links()).hasSize(1);
    }

    @Test
    void syntaxErrorHasAPlace() {
        Loaded l = LabLoader.parse("name: t\nnodes:\n  a: [\n", "bad.yaml");
        assertThat(l.lab()).isEmpty();
        assertThat(l.problems()).singleElement().asString().startsWith("bad.yaml:").contains("not valid YAML");
    }
}
