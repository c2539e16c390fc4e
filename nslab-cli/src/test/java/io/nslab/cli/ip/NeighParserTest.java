package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.NeighChange;
import io.nslab.cli.ip.IpCommand.NeighFlush;
import io.nslab.cli.ip.IpCommand.NeighShow;
import io.nslab.cli.ip.IpCommand.Op;
import org.junit.jupiter.api.Test;

import static io.nslab.cli.ip.IpParserTest.err;
import static io.nslab.cli.ip.IpParserTest.p;
import static org.assertj.core.api.Assertions.assertThat;

class NeighParserTest {
    @Test void changeForms() throws CliException {
        NeighChange n = (NeighChange) p("neigh add to 10.0.0.2 dev eth0 router proxy");
        assertThat(n.router()).isTrue();
        assertThat(n.proxy()).isTrue();
        assertThat(((NeighChange) p("neigh chg 10.0.0.2 dev eth0")).op()).isEqualTo(Op.CHANGE);
        assertThat(((NeighChange) p("neigh del 10.0.0.2 dev eth0")).op()).isEqualTo(Op.DEL);
    }

    @Test void stateFiltersAsIp() throws CliException {
        assertThat(((NeighShow) p("neigh show")).states()).isEqualTo(0xbf);                   // all but NOARP
        assertThat(((NeighShow) p("neigh show dev eth0 nud reachable nud stale")).states()).isEqualTo(0x06);
        assertThat(((NeighShow) p("neigh show nud all")).states()).isEqualTo(~0);
        assertThat(((NeighFlush) p("neigh flush dev eth0")).states()).isEqualTo(~0xc0);       // spares PERMANENT and NOARP
        assertThat(((NeighFlush) p("neigh flush dev eth0 nud all")).states()).isEqualTo(~0x40);
        assertThat(((NeighShow) p("neigh lst inet6")).family()).hasValue(10);
    }

    @Test void errorsNameTheProblem() {
        assertThat(err("neigh add 10.0.0.2 lladdr 2:0:0:0:0:1 dev eth0 nud bogus")).endsWith(
                ": invalid nud state \"bogus\" (permanent, noarp, reachable, stale, none, incomplete, delay, probe, failed)");
        assertThat(err("neigh add 10.0.0.2 lladdr zz dev eth0")).endsWith(": invalid link-layer address \"zz\" (expected xx:xx:xx:xx:xx:xx)");
        assertThat(err("neigh add 10.0.0.2")).isEqualTo("neigh add 10.0.0.2: missing device (\"dev NAME\")");
        assertThat(err("neigh add dev eth0")).isEqualTo("neigh add dev eth0: missing neighbour address");
        assertThat(err("neigh add 10.0.0.x dev eth0")).isEqualTo("neigh add 10.0.0.x dev eth0: invalid address address \"10.0.0.x\"");
        assertThat(err("neigh add 10.0.0.2 dev eth0 dev eth1")).endsWith(": unknown keyword \"eth1\"");
        assertThat(err("neigh show nud foo")).endsWith(": invalid nud state \"foo\" (permanent, noarp, reachable, stale, none, incomplete, delay, probe, failed, all)");
        assertThat(err("neigh flush")).isEqualTo("neigh flush: flush requires arguments (\"neigh flush dev NAME\")");
    }
}
