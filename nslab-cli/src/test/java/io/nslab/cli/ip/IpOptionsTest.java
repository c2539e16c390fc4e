package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ip's global options, long forms and abbreviations, rewritten to nslab's spelling (ip.c's order). */
class IpOptionsTest {
    static String c(String line) throws CliException {
        return String.join(" ", IpOptions.canonical(line.split(" ")));
    }

    @Test void longFormsAndAbbreviationsAsIpReadsThem() throws CliException {
        assertThat(c("--json route show")).isEqualTo("-j route show");
        assertThat(c("-net ns1 link")).isEqualTo("-n ns1 link");
        assertThat(c("-netns ns1 -js -pr -det addr")).isEqualTo("-n ns1 -j -p -d addr");
        assertThat(c("--netns ns1 -4 route")).isEqualTo("-n ns1 -4 route");
        assertThat(c("-family inet6 route")).isEqualTo("-6 route");
        assertThat(c("-f inet route")).isEqualTo("-4 route");
        assertThat(c("-b file")).isEqualTo("-b file");
        assertThat(c("-fo -batch -")).isEqualTo("-force -b -");
        assertThat(c("--help")).isEqualTo("-h");
        // only the leading options: a command's own words are never touched
        assertThat(c("link add -net")).isEqualTo("link add -net");
    }

    @Test void optionsNslabDoesNotImplementAreRefusedByName() {
        assertThatThrownBy(() -> c("-s link")).hasMessage("option \"-s\" (ip's -stats) is not supported by nslab");
        assertThatThrownBy(() -> c("-br addr")).hasMessage("option \"-br\" (ip's -brief) is not supported by nslab");
        assertThatThrownBy(() -> c("-o link")).hasMessage("option \"-o\" (ip's -oneline) is not supported by nslab");
        assertThatThrownBy(() -> c("-family link link")).hasMessage("-family link: only inet and inet6 are supported by nslab");
        assertThatThrownBy(() -> c("-n")).hasMessage("option \"-n\" needs an argument");
    }
}
