package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.NetnsList;
import io.nslab.cli.ip.IpCommand.NetnsSet;
import org.junit.jupiter.api.Test;

import static io.nslab.cli.ip.IpParserTest.err;
import static io.nslab.cli.ip.IpParserTest.p;
import static org.assertj.core.api.Assertions.assertThat;

class NetnsParserTest {
    @Test void listSpellingsAndAutoNsid() throws CliException {
        for (String l : new String[] {"netns", "netns list", "netns lst", "netns show", "netns l", "netns ls", "netns s", "netns sh"}) assertThat(p(l)).isInstanceOf(NetnsList.class);
        assertThat(((NetnsSet) p("netns set ns1 auto")).nsid()).isEmpty();
        // a line of "ip netns list" fed back, as scripts do
        assertThat(((IpCommand.NetnsDel) p("netns del ns1 (id: 0)")).name()).isEqualTo("ns1");
        assertThat(err("netns del ns1 (id: x)")).endsWith("unexpected argument \"x)\"");
    }

    @Test void errorsNameTheProblem() {
        assertThat(err("netns add")).isEqualTo("netns add: \"add\" needs an argument");
        assertThat(err("netns add a/b")).isEqualTo("netns add a/b: invalid namespace name \"a/b\"");
        assertThat(err("netns add ns1 extra")).isEqualTo("netns add ns1 extra: unexpected argument \"extra\"");
        assertThat(err("netns exec ns1")).isEqualTo("netns exec ns1: no command given to run in namespace \"ns1\"");
        assertThat(err("netns identify x")).isEqualTo("netns identify x: invalid pid \"x\"");
        assertThat(err("netns set ns1 -1")).isEqualTo("netns set ns1 -1: invalid nsid \"-1\" (must be 0..2147483647)");
        assertThat(err("netns frob")).isEqualTo("netns frob: unknown command \"frob\" (add, attach, delete, list, exec, identify, pids, set)");
    }
}
