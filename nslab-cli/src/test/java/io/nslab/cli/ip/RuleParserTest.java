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
        // tos whole, dsfield by prefix; hex numbers or rt_dsfield names, as iprule.c
        assertThat(((RuleChange) p("rule add tos 10 lookup 5")).spec().tos()).isEqualTo(0x10);
        assertThat(((RuleChange) p("rule add ds AF11 lookup 5")).spec().tos()).isEqualTo(0x28);
        assertThat(((RuleChange) p("rule add dsfield 0x1c lookup 5")).spec().tos()).isEqualTo(0x1c);
    }

    @Test void errorsNameTheProblem() {
        assertThat(err("rule list x")).isEqualTo("rule list x: unexpected argument \"x\"");
        assertThat(err("rule add fwmark abc")).endsWith(": invalid fwmark \"abc\"");
        assertThat(err("rule add from 10.0.0.0/8 to 2001::/16")).endsWith(": from and to are of different families");
        assertThat(err("rule add frob")).isEqualTo("rule add frob: unknown keyword \"frob\"");
        assertThat(err("rule add tos 100")).endsWith(": argument \"100\" is wrong: TOS value is invalid");
        assertThat(IpParserTest.code("rule add tos zz")).isEqualTo(255);
        assertThat(err("rule frob")).isEqualTo("rule frob: unknown command \"frob\" (add, delete, show)");
    }
}
