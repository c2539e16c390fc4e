package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.RuleChange;
import io.nslab.cli.ip.IpCommand.RuleShow;
import org.junit.jupiter.api.Test;

import static io.nslab.cli.ip.IpParserTest.err;
import static io.nslab.cli.ip.IpParserTest.p;
import static org.assertj.core.api.Assertions.assertThat;

class RuleParserTest {
    @Test void selectorsAndActions() throws CliException {
        RuleChange r = (RuleChange) p("rule add not to 10.0.0.0/8 lookup main pref 5 iif eth0 oif eth1 fwmark 0x10/0xff");
        assertThat(r.spec().not()).isTrue();
        assertThat(r.spec().fwmark()).contains("0x10/0xff");
        assertThat(r.spec().priority()).hasValue(5);
        assertThat(((RuleChange) p("rule add from 10.0.0.0/8")).spec().table()).contains("main");
        RuleChange b = (RuleChange) p("rule add -6 from all unreachable");
        assertThat(b.spec().family()).isEqualTo(10);
        assertThat(b.spec().action()).contains("unreachable");
        assertThat(b.spec().table()).isEmpty();
        assertThat(((RuleChange) p("rule del from 10.0.0.0/8")).spec().table()).isEmpty();
        assertThat(p("rule")).isInstanceOf(RuleShow.class);
    }

    @Test void errorsNameTheProblem() {
        assertThat(err("rule list x")).isEqualTo("rule list x: unexpected argument \"x\"");
        assertThat(err("rule add fwmark abc")).endsWith(": invalid fwmark \"abc\"");
        assertThat(err("rule add from 10.0.0.0/8 to 2001::/16")).endsWith(": from and to are of different families");
        assertThat(err("rule add frob")).isEqualTo("rule add frob: unknown keyword \"frob\"");
        assertThat(err("rule frob")).isEqualTo("rule frob: unknown command \"frob\" (add, delete, show)");
    }
}
