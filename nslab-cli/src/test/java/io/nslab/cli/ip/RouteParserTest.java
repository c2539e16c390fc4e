package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.Op;
import io.nslab.cli.ip.IpCommand.RouteChange;
import io.nslab.cli.ip.IpCommand.RouteFlush;
import io.nslab.cli.ip.IpCommand.RouteGet;
import io.nslab.cli.ip.IpCommand.RouteShow;
import org.junit.jupiter.api.Test;

import static io.nslab.cli.ip.IpParserTest.err;
import static io.nslab.cli.ip.IpParserTest.p;
import static org.assertj.core.api.Assertions.assertThat;

class RouteParserTest {
    @Test void changeForms() throws CliException {
        RouteChange t = (RouteChange) p("route add to unreachable 10.8.0.0/16");
        assertThat(t.spec().type()).contains("unreachable");
        RouteChange g = (RouteChange) p("route add 10.1.0.0/16 via inet 10.0.0.1 onlink mtu 1400 preference 5");
        assertThat(g.spec().via()).isPresent();
        assertThat(g.spec().onlink()).isTrue();
        assertThat(g.spec().metric()).hasValue(5);
        RouteChange v6 = (RouteChange) p("route add -6 default dev eth0");
        assertThat(v6.spec().family()).isEqualTo(10);
        assertThat(v6.spec().dst()).isEmpty();
        assertThat(((RouteChange) p("route del 10.1.0.0/16")).op()).isEqualTo(Op.DEL);
    }

    @Test void showGetFlush() throws CliException {
        RouteShow s = (RouteShow) p("route show table 100 dev eth0 10.0.0.0/8");
        assertThat(s.filter().table()).hasValue(100);
        assertThat(s.filter().root()).isPresent().isEqualTo(s.filter().match());
        assertThat(((RouteShow) p("route list root 10.0.0.0/8 -6")).family()).hasValue(10);
        RouteGet g = (RouteGet) p("route get to 10.0.2.0 from 10.0.1.1 iif eth0 oif eth1");
        assertThat(g.iif()).contains("eth0");
        assertThat(g.oif()).contains("eth1");
        assertThat(((RouteFlush) p("route flush table 100 dev eth0")).filter().dev()).contains("eth0");
    }

    @Test void errorsNameTheProblem() {
        assertThat(err("route get")).isEqualTo("route get: missing destination address (\"route get ADDR\")");
        assertThat(err("route add 10.1.0.0/16 via 2001::1")).endsWith(": gateway 2001::1 is not of the destination's family");
        assertThat(err("route add 10.1.0.0/16 dev eth0 src 2001::1")).endsWith(": src 2001::1 is not of the destination's family");
        assertThat(err("route add 2001:db8::/32 dev eth0 -4")).endsWith(": destination family does not match -4/-6");
        assertThat(err("route add 10.1.1.1/24 dev x")).endsWith(": invalid prefix for mask: 10.1.1.1/24 has host bits set (did you mean 10.1.1.0/24?)");
        assertThat(err("route add 10.1.0.0/16")).endsWith(": needs \"via GATEWAY\" or \"dev NAME\"");
        assertThat(err("route add dev eth0")).endsWith(": missing destination (\"route add PREFIX|default ...\")");
        assertThat(err("route chg 10.1.0.0/16 dev eth0 table foo")).endsWith(": invalid table \"foo\"");
        assertThat(err("route add 10.1.0.0/16 dev eth0 proto 300")).endsWith(": invalid proto \"300\" (must be 0..255)");
        assertThat(err("route show foo")).endsWith(": invalid address or prefix \"foo\" (expected ADDR or ADDR/LEN, e.g. 10.0.1.1/24)");
        assertThat(err("route frob")).isEqualTo("route frob: unknown command \"frob\" (add, delete, replace, change, show, get, flush)");
    }
}
