package io.nslab.netlink.route;

import org.junit.jupiter.api.Test;

import static io.nslab.netlink.route.RouteFixtures.*;
import static io.nslab.netlink.route.RtConst.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleCodecTest {
    @Test
    void addFromTablePriority() {
        assertGoldenChange("rule-add-from", RuleRequests.add(RuleSpec.create().from(IpPrefix.parse("10.0.0.0/8")).table(100).priority(1000)));
    }

    @Test
    void addToFwmark() {
        assertGoldenChange("rule-add-to-fwmark", RuleRequests.add(RuleSpec.create().to(IpPrefix.parse("10.1.0.0/16")).fwmark(1).table(200)));
    }

    /** fib_rule_hdr.tos, captured from ip both as a number and by its rt_dsfield name (AF11, which the kernel refuses). */
    @Test
    void tosAndDsfield() {
        assertGoldenChange("rule-add-tos", RuleRequests.add(RuleSpec.create().from(IpPrefix.parse("10.0.0.0/8")).tos(0x10).table(100).priority(1000)));
        assertGoldenChange("rule-add-dsfield", RuleRequests.add(RuleSpec.create().tos(DsfieldNames.parse("AF11").getAsInt()).table(100).priority(1001)));
        assertThat(Rule.decode(message("rule-add-tos")).tos()).isEqualTo(0x10);
        assertThat(Rule.decode(message("rule-add-dsfield")).tos()).isEqualTo(0x28);
        assertThat(DsfieldNames.parse("10")).hasValue(0x10);
        assertThat(DsfieldNames.parse("0x1c")).hasValue(0x1c);
        assertThat(DsfieldNames.parse("100")).isEmpty();
        assertThat(DsfieldNames.parse("AF99")).isEmpty();
        assertThat(DsfieldNames.name(0x28)).isEqualTo("AF11");
        assertThat(DsfieldNames.name(0x10)).isEqualTo("0x10");
    }

    @Test
    void del() {
        assertGoldenChange("rule-del", RuleRequests.del(RuleSpec.create().from(IpPrefix.parse("10.0.0.0/8")).table(100).priority(1000)));
    }

    @Test
    void dumpIpv4() {
        assertGoldenDump("dump-rule", RuleRequests.dump(AddressFamily.INET));
    }

    @Test
    void goldenDecodes() {
        Rule r = Rule.decode(message("rule-add-from"));
        assertThat(r.from()).contains(IpPrefix.parse("10.0.0.0/8"));
        assertThat(r.to()).isEmpty();
        assertThat(r.table()).isEqualTo(100);
        assertThat(r.priority()).isEqualTo(1000);
        assertThat(r.action()).isEqualTo(FR_ACT_TO_TBL);
        assertThat(r.toString()).isEqualTo("Rule[1000: from 10.0.0.0/8 lookup 100]");
        assertThat(r.encodeBody()).isEqualTo(message("rule-add-from").payload());
        Rule m = Rule.decode(message("rule-add-to-fwmark"));
        assertThat(m.to()).contains(IpPrefix.parse("10.1.0.0/16"));
        assertThat(m.fwmark()).hasValue(1);
        assertThat(m.table()).isEqualTo(200);
    }

    @Test
    void bigTablesActionsAndInversion() {
        Rule r = Rule.decodeBody(RuleRequests.add(RuleSpec.create().family(AddressFamily.INET6).iif("veth0").table(1000).not()).body());
        assertThat(r.family()).isEqualTo(AddressFamily.INET6);
        assertThat(r.table()).isEqualTo(1000);
        assertThat(r.attrs().u32(FRA_TABLE)).hasValue(1000);
        assertThat(r.iif()).contains("veth0");
        assertThat(r.inverted()).isTrue();
        Rule bh = Rule.decodeBody(RuleRequests.add(RuleSpec.create().from(IpPrefix.parse("10.9.0.0/16")).action(FR_ACT_BLACKHOLE)).body());
        assertThat(bh.action()).isEqualTo(FR_ACT_BLACKHOLE);
        assertThat(bh.table()).isEqualTo(RT_TABLE_UNSPEC);
        assertThat(Rule.decodeBody(RuleRequests.add(RuleSpec.create().priority(5)).body()).table()).isEqualTo(RT_TABLE_MAIN);
        assertThatThrownBy(() -> RuleSpec.create().from(IpPrefix.parse("10.0.0.0/8")).to(IpPrefix.parse("2001:db8::/32")))
                .hasMessage("rule: 2001:db8::/32 is not of the rule's family inet");
    }
}
