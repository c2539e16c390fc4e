package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.TuntapAdd;
import io.nslab.cli.ip.IpCommand.TuntapDel;
import io.nslab.cli.ip.IpCommand.TuntapShow;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.cli.ip.IpParserTest.err;
import static io.nslab.cli.ip.IpParserTest.p;
import static org.assertj.core.api.Assertions.assertThat;

class TuntapParserTest {
    @Test void addWithEveryOption() throws CliException {
        assertThat(p("tuntap add tap0 mode tun user 1000 group 100 pi vnet_hdr multi_queue one_queue")).isEqualTo(
                new TuntapAdd("tuntap add tap0 mode tun user 1000 group 100 pi vnet_hdr multi_queue one_queue", Optional.of("tap0"), false, true, true, true,
                        true, OptionalInt.of(1000), OptionalInt.of(100)));
        // ip's prefixes (iptuntap.c matches()), and no name: the kernel picks tapN
        assertThat(p("tuntap add mo tap o mu v p")).isEqualTo(
                new TuntapAdd("tuntap add mo tap o mu v p", Optional.empty(), true, true, true, true, true, OptionalInt.empty(), OptionalInt.empty()));
        assertThat(((TuntapDel) p("tuntap del mode tap")).name()).isEmpty();
        assertThat(p("tap add dev tap1 mode tap")).isInstanceOf(TuntapAdd.class);
        assertThat(((TuntapDel) p("tuntap del dev tap0 mode tap")).tap()).isTrue();
        assertThat(p("tuntap")).isInstanceOf(TuntapShow.class);
        // as ip: a user or group by name (root and its group are in every /etc/passwd and /etc/group)
        TuntapAdd named = (TuntapAdd) p("tuntap add tap0 mode tap user root group root");
        assertThat(named.user()).hasValue(0);
        assertThat(named.group()).hasValue(0);
    }

    @Test void errorsNameTheProblem() {
        assertThat(err("tuntap list x")).isEqualTo("tuntap list x: unexpected argument \"x\"");
        assertThat(err("tuntap add tap0")).isEqualTo("tuntap add tap0: You failed to specify a tunnel mode");
        assertThat(err("tuntap add tap0 mode foo")).isEqualTo("tuntap add tap0 mode foo: Unknown tunnel mode \"foo\"");
        assertThat(err("tuntap add mode tap mode tun")).endsWith("You managed to ask for more than one tunnel mode.");
        assertThat(err("tuntap add tap0 tap1 mode tap")).endsWith("duplicate \"name\": \"tap1\" is the second value");
        assertThat(err("tuntap add tap0 mode tap user no-such-user-here")).endsWith(": invalid user \"no-such-user-here\" (no such user)");
        assertThat(err("tuntap frob")).isEqualTo("tuntap frob: unknown command \"frob\" (add, delete, show)");
    }
}
