package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.Monitor;
import org.junit.jupiter.api.Test;

import static io.nslab.cli.ip.IpParserTest.err;
import static io.nslab.cli.ip.IpParserTest.p;
import static org.assertj.core.api.Assertions.assertThat;

class MonitorParserTest {
    @Test void objectsAbbreviatedDeduplicatedAllByDefault() throws CliException {
        assertThat(((Monitor) p("monitor")).objects()).containsExactly("link", "address", "route", "neigh", "rule");
        assertThat(((Monitor) p("monitor neighbour r link link")).objects()).containsExactly("neigh", "route", "link");
        Monitor all = (Monitor) p("monitor all label");
        assertThat(all.objects()).hasSize(5);
        assertThat(all.label()).contains("label");
    }

    @Test void unknownObject() {
        assertThat(err("monitor foo")).isEqualTo("monitor foo: unknown monitor object \"foo\" (link, address, route, neigh, rule, all)");
    }
}
