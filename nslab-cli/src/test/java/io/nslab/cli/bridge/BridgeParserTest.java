package io.nslab.cli.bridge;

import io.nslab.cli.CliException;
import io.nslab.netlink.route.BridgeRequests.FdbOp;
import io.nslab.netlink.route.BridgeSetting;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.nslab.netlink.route.BridgeConst.*;
import static io.nslab.netlink.route.LinkConst.*;
import static io.nslab.netlink.route.RtConst.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bridge tool's syntax, read as bridge/link.c, fdb.c and vlan.c read it (pure). */
class BridgeParserTest {
    static BridgeCommand p(String line) throws CliException { return BridgeParser.parse(List.of(line.split(" "))); }

    static String err(String line) {
        try {
            p(line);
            throw new AssertionError("no error for: " + line);
        } catch (CliException e) {
            return e.getMessage();
        }
    }

    @Test void objectsAndVerbsAbbreviateAsTheToolAllows() throws CliException {
        assertThat(p("link")).isEqualTo(new BridgeCommand.LinkShow("bridge link", Optional.empty()));
        assertThat(p("l sh dev va")).isEqualTo(new BridgeCommand.LinkShow("bridge l sh dev va", Optional.of("va")));
        // "s" is "set": the tool tries set before show
        assertThat(p("l s dev va")).isEqualTo(new BridgeCommand.LinkSet("bridge l s dev va", "va", List.of(), 0));
        assertThat(p("f")).isInstanceOf(BridgeCommand.FdbShow.class);
        assertThat(p("v sh")).isInstanceOf(BridgeCommand.VlanShow.class);
        assertThat(p("fdb a 02:00:00:00:00:01 dev va")).isInstanceOf(BridgeCommand.FdbChange.class);
    }

    @Test void linkSetSendsInTheToolsOrder() throws CliException {
        var s = (BridgeCommand.LinkSet) p("link set cost 7 state forwarding hairpin on dev va guard off cost 0 priority 3 self");
        // cost 0 is not sent (link.c: cost > 0); the later "cost 0" replaces the 7
        assertThat(s.settings()).containsExactly(BridgeSetting.onOff(IFLA_BRPORT_GUARD, false), BridgeSetting.hairpin(true),
                BridgeSetting.u16(IFLA_BRPORT_PRIORITY, 3), BridgeSetting.u8(IFLA_BRPORT_STATE, 3));
        assertThat(s.target()).isEqualTo(BRIDGE_FLAGS_SELF);
        assertThat(err("link set cost 5")).endsWith("Device is a required argument.");
        assertThat(err("link set dev va state sleeping")).contains("invalid STP port state \"sleeping\"");
        assertThat(err("link set dev va hwmode vepa")).endsWith("\"hwmode\" is not supported by nslab");
    }

    @Test void fdbDefaultsAreTheTools() throws Exception {
        var f = (BridgeCommand.FdbChange) p("fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.2");
        assertThat(f.op()).isEqualTo(FdbOp.APPEND);
        assertThat(f.flags()).isEqualTo(NTF_SELF);
        assertThat(f.state()).isEqualTo(NUD_NOARP | NUD_PERMANENT);
        assertThat(f.dst()).contains(InetAddress.getByName("10.0.0.2"));
        var s = (BridgeCommand.FdbChange) p("fdb add to 2:0:0:0:0:1 dev va master static vlan 5 port 4790 vni 7 src_vni 8 via vb");
        assertThat(s.mac()).isEqualTo("02:00:00:00:00:01");
        assertThat(s.flags()).isEqualTo(NTF_MASTER);
        assertThat(s.state()).isEqualTo(NUD_NOARP | NUD_REACHABLE);
        assertThat(s.vlan()).isEqualTo(OptionalInt.of(5));
        assertThat(s.vni()).isEqualTo(OptionalLong.of(7));
        assertThat(s.via()).contains("vb");
        assertThat(((BridgeCommand.FdbChange) p("fdb replace 02:00:00:00:00:01 dev va dynamic")).state()).isEqualTo(NUD_REACHABLE);
        assertThat(err("fdb add 02:00:00:00:00:01")).endsWith("Device and address are required arguments.");
        assertThat(err("fdb add zz dev va")).endsWith("Invalid mac address zz");
        assertThat(err("fdb add 02:00:00:00:00:01 dev va vni 16777216")).contains("invalid VNI");
        assertThat(err("fdb get 02:00:00:00:00:01 dev va")).endsWith("\"fdb get\" is not supported by nslab");
        assertThat(err("fdb flush dev va")).endsWith("\"fdb flush\" is not supported by nslab");
        var show = (BridgeCommand.FdbShow) p("fdb show br br0 brport va vlan 5 state static dynamic");
        assertThat(show).isEqualTo(new BridgeCommand.FdbShow(show.text(), Optional.of("br0"), Optional.of("va"), OptionalInt.of(5), NUD_NOARP, true));
    }

    @Test void vlanRangesAndFlags() throws CliException {
        var v = (BridgeCommand.VlanChange) p("vlan add vid 20-30 dev va untagged master");
        assertThat(v).isEqualTo(new BridgeCommand.VlanChange(v.text(), true, "va", 20, OptionalInt.of(30), BRIDGE_VLAN_INFO_UNTAGGED, BRIDGE_FLAGS_MASTER));
        assertThat(((BridgeCommand.VlanChange) p("vlan del vid 10 dev va pvid")).flags()).isEqualTo(BRIDGE_VLAN_INFO_PVID);
        assertThat(err("vlan add vid 20-30 dev va pvid")).endsWith("pvid cannot be configured for a vlan range");
        assertThat(err("vlan add vid 30-20 dev va")).endsWith("Invalid VLAN range \"30-20\"");
        assertThat(err("vlan add vid 5000 dev va")).endsWith("Invalid VLAN ID \"5000\"");
        assertThat(err("vlan add dev va")).endsWith("Device and VLAN ID are required arguments.");
        assertThat(err("vlan add vid 5 dev va tunnel_info id 5")).endsWith("\"tunnel_info\" is not supported by nslab");
    }

    @Test void otherObjectsAreRefusedByName() {
        for (String o : List.of("mdb", "monitor", "vni", "help")) assertThat(err(o)).contains("object \"" + o + "\" is not supported by nslab");
        assertThat(err("foo")).endsWith("Object \"foo\" is unknown, try \"bridge help\"");
        assertThatThrownBy(() -> p("link bogus")).hasMessageEndingWith("Command \"bogus\" is unknown, try \"bridge link help\"");
    }
}
