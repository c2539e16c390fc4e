package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.AddrChange;
import io.nslab.cli.ip.IpCommand.AddrShow;
import io.nslab.cli.ip.IpCommand.Op;
import io.nslab.netlink.route.Address;
import org.junit.jupiter.api.Test;

import static io.nslab.cli.ip.IpParserTest.err;
import static io.nslab.cli.ip.IpParserTest.p;
import static io.nslab.netlink.route.RtConst.IFA_F_NODAD;
import static io.nslab.netlink.route.RtConst.IFA_F_NOPREFIXROUTE;
import static org.assertj.core.api.Assertions.assertThat;

class AddrParserTest {
    @Test void changeOptions() throws CliException {
        AddrChange r = (AddrChange) p("addr replace local 10.0.1.1/24 dev eth0 peer 10.0.1.2/32 noprefixroute valid_lft forever preferred_lft 100 nodad");
        assertThat(r.op()).isEqualTo(Op.REPLACE);
        assertThat(r.peer()).isPresent();
        assertThat(r.flags()).isEqualTo(IFA_F_NOPREFIXROUTE);
        assertThat(r.validLft()).hasValue(Address.INFINITY);
        assertThat(r.preferredLft()).hasValue(100);
        // as ip: an IPv6-only flag on an IPv4 address is left out with a warning
        assertThat(r.warnings()).containsExactly("nodad option can be set only for IPv6 addresses");
        AddrChange v6 = (AddrChange) p("addr add fd00::1/64 dev eth0 nodad metric 5 valid_lft 100 preferred_lft 100");
        assertThat(v6.flags()).isEqualTo(IFA_F_NODAD);
        assertThat(v6.warnings()).isEmpty();
        assertThat(v6.metric()).hasValue(5);
        assertThat(v6.preferredLft()).hasValue(100);
        assertThat(err("addr add fd00::1/64 dev eth0 valid_lft 100")).endsWith(": preferred_lft is greater than valid_lft");
        assertThat(((AddrChange) p("addr add fd00::1/64 dev eth0 tentative")).warnings()).containsExactly("tentative option is not mutable from userspace");
        assertThat(((AddrChange) p("addr add 10.1.1.2/24 broadcast 10.1.1.255 dev eth0")).broadcast()).contains("10.1.1.255");
        assertThat(((AddrChange) p("addr chg 10.0.1.1/24 dev eth0 scope universe")).scope()).contains("global");
        AddrShow s = (AddrShow) p("addr show dev eth0 up scope global -4");
        assertThat(s.upOnly()).isTrue();
        assertThat(s.family()).hasValue(2);
    }

    @Test void errorsNameTheProblem() throws CliException {
        assertThat(err("addr add 10.1.1.2/24 broadcast 2001::1 dev eth0")).endsWith(": broadcast must be an IPv4 address");
        assertThat(err("addr add 2001:db8::1/64 broadcast - dev eth0")).endsWith(": broadcast is for IPv4 addresses only");
        assertThat(err("addr flush")).isEqualTo("addr flush: flush requires arguments (\"addr flush dev NAME\")");
        assertThat(err("addr add local 10.0.1.1/24 local 10.0.0.1 dev eth0")).endsWith(": duplicate address");
        // ip 6.1 sends any label and the kernel takes it (later iproute2 wants the device's name first)
        assertThat(((AddrChange) p("addr add 10.0.1.1/24 dev eth0 label foo")).label()).contains("foo");
        assertThat(err("addr add 10.0.1.1/24 dev eth0 label eth0:averylonglabel")).endsWith(": label \"eth0:averylonglabel\" is too long (at most 15 bytes)");
        assertThat(err("addr add 10.0.1.1/24 dev eth0 peer 2001::1")).endsWith(": peer and local addresses are of different families");
        assertThat(err("addr add 10.0.1.1/24 dev eth0 scope 300")).endsWith(": invalid scope \"300\" (global, site, link, host, or 0..255)");
        assertThat(err("addr add 10.0.1.1/24 dev eth0 valid_lft abc")).endsWith(": invalid valid_lft \"abc\"");
        assertThat(err("addr add 10.0.1.1/24 dev eth0 valid_lft 10 preferred_lft 20")).endsWith(": preferred_lft is greater than valid_lft");
        assertThat(err("addr add 10.0.1.1/24 dev eth0 valid_lft 0")).endsWith(": valid_lft is zero");
        assertThat(err("addr add 10.0.1.1/24 dev eth0 proto 5")).endsWith(": \"proto\" is not supported by nslab");
        assertThat(err("addr add dev eth0")).isEqualTo("addr add dev eth0: missing address (\"addr add ADDR/LEN dev NAME\")");
        assertThat(err("addr show eth0 eth1")).isEqualTo("addr show eth0 eth1: unknown keyword \"eth1\"");
        assertThat(err("addr frob")).isEqualTo("addr frob: unknown command \"frob\" (add, delete, replace, show, flush)");
    }
}
