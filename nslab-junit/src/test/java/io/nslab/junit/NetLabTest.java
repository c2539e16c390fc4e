package io.nslab.junit;

import io.nslab.testing.KernelTest;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.tc.Netem;
import io.nslab.netlink.tc.QdiscKindMissingException;
import io.nslab.netlink.tc.Rate;
import io.nslab.netlink.tc.Size;
import io.nslab.netlink.tc.Tbf;
import io.nslab.netlink.tc.TcTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.abort;

/** One lab for the class, from a class-path resource: nodes, code and processes inside, faults, observers. */
@KernelTest
@NetLab("two.yaml")
class NetLabTest {
    static Lab classLab;        // injected: static fields get the class's lab
    Lab fieldLab;               // and instance fields

    @AfterEach void healed(Lab lab) throws Exception {
        lab.heal();
    }

    @Test void theLabIsInjectedAndUpUnderAnInstanceName(Lab lab) throws Exception {
        assertThat(lab).isSameAs(classLab).isSameAs(fieldLab);
        assertThat(lab.name()).matches("two-j[0-9a-z]{4}[0-9a-z]+");
        assertThat(lab.nodes()).extracting(Node::name).containsExactly("a", "b");
        assertThat(lab.node("a").namespace()).isEqualTo(lab.name() + ".a");
        // the kernel, seen by ip
        assertThat(Net.run("ip", "netns", "list")).contains(lab.name() + ".a", lab.name() + ".b");
        assertThat(Net.run("ip", "-n", lab.name() + ".b", "-j", "addr", "show", "eth0")).contains("\"local\":\"10.9.0.2\"");
        assertThat(lab.node("b").address().getHostAddress()).isEqualTo("10.9.0.2");
        assertThat(lab.node("a").address("eth0").getHostAddress()).isEqualTo("10.9.0.1");
        assertThatThrownBy(() -> lab.node("c")).hasMessage("lab " + lab.name() + " has no node c (nodes: a, b)");
        assertThatThrownBy(() -> lab.node("a").address("eth9")).hasMessageContaining("has no interface eth9");
    }

    @Test void codeRunsInTheNodesNamespaceAndItsSocketsStayThere(Lab lab) throws Exception {
        String inA = lab.node("a").call(Net::myNetns);
        try (NetNs a = NetNs.open(lab.node("a").namespace())) {
            assertThat(inA).isEqualTo("net:[" + a.inode().ino() + "]");
        }
        assertThat(inA).isNotEqualTo(Net.myNetns());
        // threads started there are born there
        assertThat(lab.node("a").call(() -> {
            String[] seen = new String[1];
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    seen[0] = Net.myNetns();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            t.join();
            return seen[0];
        })).isEqualTo(inA);

        var served = Net.echoOnce(lab.node("b"), 7000);
        assertThat(lab.node("a").call(() -> Net.hello(lab.node("b").address(), 7000, 2000))).isEqualTo("hello");
        assertThat(served.get()).isEqualTo("hello");
        // an exception comes back as it was thrown
        assertThatThrownBy(() -> lab.node("a").call(() -> { throw new IllegalStateException("boom"); }))
                .isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }

    @Test void execRunsAProcessInTheNode(Lab lab) throws Exception {
        ExecResult r = lab.node("a").exec("ip", "-j", "-4", "addr", "show", "eth0");
        assertThat(r.ok()).as(r.stderr()).isTrue();
        assertThat(r.stdout()).contains("\"local\":\"10.9.0.1\"");
        ExecResult fail = lab.node("a").exec("sh", "-c", "echo oops >&2; exit 3");
        assertThat(fail.exitCode()).isEqualTo(3);
        assertThat(fail.stderr()).isEqualTo("oops\n");
        assertThatThrownBy(fail::orThrow).hasMessage("exited 3: oops");
    }

    @Test void aPartitionDropsBothWaysAndHealRestores(Lab lab) throws Exception {
        Node a = lab.node("a"), b = lab.node("b");
        lab.partition("a", "b");
        assertThat(lab.partitioned("b", "a")).isTrue();
        // observer: the table nft lists in both namespaces
        String nftA = Net.run("ip", "netns", "exec", a.namespace(), "nft", "list", "table", "inet", "nslab_partition");
        assertThat(nftA).contains("ip saddr 10.9.0.2 drop", "ip daddr 10.9.0.2 drop");
        assertThat(Net.run("ip", "netns", "exec", b.namespace(), "nft", "list", "table", "inet", "nslab_partition"))
                .contains("ip saddr 10.9.0.1 drop");
        var served = Net.echoOnce(b, 7001);
        assertThatThrownBy(() -> a.call(() -> Net.hello(b.address(), 7001, 300))).isInstanceOf(SocketTimeoutException.class);

        lab.heal();
        assertThat(lab.partitioned("a", "b")).isFalse();
        assertThat(Net.run("ip", "netns", "exec", a.namespace(), "nft", "list", "ruleset")).doesNotContain("nslab_partition");
        assertThat(a.call(() -> Net.hello(b.address(), 7001, 2000))).isEqualTo("hello");
        assertThat(served.get()).isEqualTo("hello");
        assertThatThrownBy(() -> lab.partition(List.of("a"), List.of("a"))).hasMessage("node a is on both sides of the partition");
    }

    @Test void linkDownAndUp(Lab lab) throws Exception {
        lab.linkDown("a:eth0");
        assertThat(Net.run("ip", "-n", lab.node("a").namespace(), "-j", "link", "show", "eth0")).contains("\"operstate\":\"DOWN\"");
        lab.linkUp("a:eth0");
        assertThat(Net.run("ip", "-n", lab.node("a").namespace(), "-j", "link", "show", "eth0")).doesNotContain("\"DOWN\"");
        lab.linkDown("b:eth0");
        lab.heal();                                             // heal brings it back too
        assertThat(Net.run("ip", "-n", lab.node("b").namespace(), "-j", "link", "show", "eth0")).contains("\"UP\"");
        assertThatThrownBy(() -> lab.linkDown("a-eth0")).hasMessageContaining("write NODE:IFNAME");
    }

    @Test void impairmentsAreTheLibrarysQdiscs(Lab lab) throws Exception {
        lab.impair("a:eth0", Tbf.withLatency(Rate.parse("1mbit"), Size.parse("32kbit"), TcTime.parse("50ms")));
        assertThat(Net.run("tc", "-n", lab.node("a").namespace(), "-j", "qdisc", "show", "dev", "eth0")).contains("\"kind\":\"tbf\"");
        lab.unimpair("a:eth0");
        assertThat(Net.run("tc", "-n", lab.node("a").namespace(), "-j", "qdisc", "show", "dev", "eth0")).doesNotContain("tbf");
    }

    @Test void netemDelay(Lab lab) throws Exception {
        try {
            lab.impair("a:eth0", Netem.of().withDelay(TcTime.ofMillis(100)));
        } catch (QdiscKindMissingException e) {
            abort("kernel lacks netem (" + e.config() + ")");
        }
        assertThat(Net.run("tc", "-n", lab.node("a").namespace(), "-j", "qdisc", "show", "dev", "eth0")).contains("\"kind\":\"netem\"");
    }
}
