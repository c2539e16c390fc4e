package io.nslab.lab.load;

import io.nslab.lab.model.Expectation;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Impair;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Measure;
import io.nslab.lab.model.Problem;
import io.nslab.lab.validate.Report;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.tc.Netem;
import io.nslab.netlink.tc.Percent;
import io.nslab.netlink.tc.Rate;
import io.nslab.netlink.tc.Tbf;
import io.nslab.netlink.tc.TcTime;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code impair:} key and the measured expectations, loaded and validated (no kernel). */
class ImpairLoadTest {
    static final String LAB = """
            name: sh
            nodes:
              a:
                interfaces:
                  br0: {kind: bridge, impair: {loss: 1%}}
              b:
                serve: [tcp 5201]
              c:
            links:
              - ends: [{at: a:eth0, addresses: [10.0.0.1/24]}, {at: b:eth0, addresses: [10.0.0.2/24]}]
                impair: {delay: 20ms, jitter: 2ms, rate: 10mbit}
              - ends:
                  - {at: b:eth1, addresses: [10.0.1.1/24], impair: {rate: 1mbit}}
                  - {at: c:eth0, addresses: [10.0.1.2/24]}
            expect:
              - a reaches b rtt >= 40ms
              - a reaches b tcp 5201 rate >= 8mbit
              - {from: a, to: b, proto: tcp, port: 5201, rate: "<= 12mbit"}
            """;

    static Report check(String text) {
        return Validator.checkText(text, "lab.yaml");
    }

    static List<String> problems(String text) {
        return check(text).problems().stream().map(Problem::toString).toList();
    }

    @Test void linkEndAndInterfaceImpairments() {
        Lab lab = check(LAB).orThrow();
        Impair link = Impair.NONE.with("delay", "20ms").with("jitter", "2ms").with("rate", "10mbit");
        assertThat(lab.impairment(new IfRef("a", "eth0")).orElseThrow().impair()).isEqualTo(link);
        assertThat(lab.impairment(new IfRef("b", "eth0")).orElseThrow().impair()).isEqualTo(link);
        assertThat(lab.impairment(new IfRef("b", "eth1")).orElseThrow().impair()).isEqualTo(Impair.NONE.withRate(Rate.mbit(1)));
        assertThat(lab.impairment(new IfRef("c", "eth0"))).isEmpty();
        assertThat(lab.impairment(new IfRef("a", "br0")).orElseThrow().impair().loss()).contains(Percent.of(1));
        assertThat(lab.impairments()).hasSize(4);
        assertThat(lab.impairment(new IfRef("a", "eth0")).orElseThrow().src().at().line()).isEqualTo(11);
    }

    @Test void measuredExpectations() {
        List<Expectation> e = check(LAB).orThrow().expectations();
        assertThat(e.get(0).measure()).contains(new Measure.Rtt(true, TcTime.ofMillis(40)));
        assertThat(e.get(1).measure()).contains(new Measure.Throughput(true, Rate.mbit(8)));
        assertThat(e.get(1).port()).hasValue(5201);
        assertThat(e.get(2).measure()).contains(new Measure.Throughput(false, Rate.mbit(12)));
        assertThat(e.get(0).toString()).isEqualTo("a reaches b icmp rtt >= 40ms");
    }

    @Test void rateAloneIsTbfAnythingElseIsOneNetemWithTheRate() {
        assertThat(Impair.NONE.withRate(Rate.mbit(10)).qdisc()).isInstanceOf(Tbf.class);
        Tbf t = (Tbf) Impair.NONE.withRate(Rate.mbit(100)).qdisc();
        assertThat(t.rate()).isEqualTo(Rate.mbit(100));
        assertThat(t.burst().bytes()).isEqualTo(125_000);
        Netem n = (Netem) Impair.parse(List.of("rate", "10mbit", "delay", "50ms", "loss", "1%")).qdisc();
        assertThat(n.delay()).isEqualTo(TcTime.ofMillis(50));
        assertThat(n.loss()).isEqualTo(Percent.of(1));
        assertThat(n.rate()).contains(Rate.mbit(10));
        // what the kernel reports back is the same impairment
        Impair i = Impair.parse(List.of("delay", "1.5ms", "jitter", "100us", "reorder", "25%", "corrupt", "0.1%", "duplicate", "2%"));
        assertThat(Impair.of(i.qdisc()).orElseThrow().sameAs(i)).isTrue();
        assertThat(Impair.parse(List.of(i.toString().split(" ")))).isEqualTo(i);
        assertThat(Impair.of(Netem.of().withDelay(TcTime.ofMillis(5)))).contains(Impair.NONE.with("delay", "5ms"));
        Impair zeroLoss = Impair.parse(List.of("delay", "5ms", "loss", "0%"));
        assertThat(Impair.of(zeroLoss.qdisc()).orElseThrow().sameAs(zeroLoss)).isTrue();
    }

    @Test void badImpairmentsAreLocatedOneLineEach() {
        String bad = """
                name: sh
                nodes:
                  a:
                  b:
                links:
                  - ends: [a:eth0, b:eth0]
                    impair: {rate: 10mbits, loss: 101%, delai: 5ms}
                  - ends: [a:eth1, {at: b:eth1, impair: {jitter: 5ms}}]
                  - ends: [a:eth2, {at: b:eth2, impair: 10mbit}]
                """;
        assertThat(problems(bad)).containsExactly(
                "lab.yaml:7:20: link at line 6 impair: invalid rate \"10mbits\" (a number with bit, kbit, mbit, gbit, bps, kbps, mbps...) (a rate like 10mbit, 512kbit or 1gbit)",
                "lab.yaml:7:35: link at line 6 impair: invalid loss \"101%\" (over 100%) (a percentage 0..100, like 1% or 0.1%)",
                "lab.yaml:7:41: unknown field 'delai' in link at line 6 impair (did you mean 'delay'? known fields: corrupt, delay, duplicate, jitter, loss, rate, reorder)",
                "lab.yaml:8:41: interface eth1 of node b impair: jitter needs a delay (add 'delay:')",
                "lab.yaml:9:41: interface eth2 of node b: field 'impair' must be a map like {delay: 50ms, loss: 1%, rate: 10mbit}, not the text '10mbit' (write a map like {delay: 50ms, loss: 1%, rate: 10mbit} here, see docs/topology.md)");
    }

    @Test void badMeasuresAreRefused() {
        String bad = """
                name: sh
                nodes:
                  a: {interfaces: {br0: {kind: bridge, addresses: [10.0.0.1/24]}}}
                  b: {interfaces: {br0: {kind: bridge, addresses: [10.0.1.1/24]}}, serve: [http 80, tcp 22]}
                expect:
                  - a reaches b rtt > 40ms
                  - a reaches b tcp 22 rtt >= 40ms
                  - a reaches b rate >= 8mbit
                  - a cannot reach b rtt >= 1ms
                  - a reaches b tcp 22 rate >= 8mbits
                  - a reaches b http 80 rate >= 8mbit
                  - {from: a, to: b, rtt: "about 40ms"}
                """;
        assertThat(problems(bad)).containsExactly(
                "lab.yaml:6:5: expectation 'a reaches b rtt > 40ms': '>' is not a comparison (use >= or <=) (e.g. 'a reaches b rtt >= 40ms' or 'a reaches b tcp 5201 rate >= 8mbit')",
                "lab.yaml:7:5: expectation 'a reaches b tcp 22 rtt >= 40ms': 'rtt' is measured with icmp, not tcp (write 'FROM reaches TO rtt >= 40ms' or 'FROM reaches TO tcp PORT rate >= 8mbit')",
                "lab.yaml:8:5: expectation 'a reaches b rate >= 8mbit': 'rate' is measured over tcp PORT, not icmp (write 'FROM reaches TO rtt >= 40ms' or 'FROM reaches TO tcp PORT rate >= 8mbit')",
                "lab.yaml:9:5: expectation 'a cannot reach b rtt >= 1ms': 'rtt' bounds what is reached, not a blocked path (write 'FROM reaches TO rtt >= 40ms' or 'FROM reaches TO tcp PORT rate >= 8mbit')",
                "lab.yaml:10:5: expectation 'a reaches b tcp 22 rate >= 8mbits': invalid rate \"8mbits\" (a number with bit, kbit, mbit, gbit, bps, kbps, mbps...) (e.g. 'a reaches b rtt >= 40ms' or 'a reaches b tcp 5201 rate >= 8mbit')",
                "lab.yaml:11:5: expectation 'a reaches b http 80 rate >= 8mbit': 'rate' is measured over tcp PORT, not http (write 'FROM reaches TO rtt >= 40ms' or 'FROM reaches TO tcp PORT rate >= 8mbit')",
                "lab.yaml:12:27: expectation: 'about' is not a comparison (use >= or <=) (e.g. 'rtt: \">= 40ms\"')");
    }

    @Test void cliWordsParseAndNameTheBadWord() {
        assertThat(Impair.parse(List.of("none"))).isEqualTo(Impair.NONE);
        assertThatThrownBy(() -> Impair.parse(List.of("loss", "150%"))).hasMessage("invalid loss \"150%\" (over 100%)");
        assertThatThrownBy(() -> Impair.parse(List.of("speed", "1mbit"))).hasMessageStartingWith("unknown impairment 'speed'");
        assertThatThrownBy(() -> Impair.parse(List.of("rate"))).hasMessage("'rate' needs a value");
        assertThatThrownBy(() -> Impair.parse(List.of("reorder", "5%"))).hasMessageStartingWith("reorder needs a delay");
        assertThat(Optional.of(Impair.parse(List.of("jitter", "1ms", "delay", "10ms")).toString())).contains("delay 10ms jitter 1ms");
    }
}
