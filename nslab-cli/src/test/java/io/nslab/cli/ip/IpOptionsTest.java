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
        // the output forms: -s counted, -brief, -oneline
        assertThat(c("-s -stat -statistics -br -o link")).isEqualTo("-s -s -s -br -o link");
        assertThat(c("-brief -oneline addr")).isEqualTo("-br -o addr");
    }

    @Test void optionsNslabDoesNotImplementAreRefusedByName() {
        assertThatThrownBy(() -> c("-r link")).hasMessage("option \"-r\" (ip's -resolve) is not supported by nslab");
        assertThatThrownBy(() -> c("-ti link")).hasMessage("option \"-ti\" (ip's -timestamp) is not supported by nslab");
        assertThatThrownBy(() -> c("-frobnicate link")).hasMessage("option \"-frobnicate\" is unknown (ip's global options: nslab --help)");
        assertThatThrownBy(() -> c("-family link link")).hasMessage("-family link: only inet and inet6 are supported by nslab");
        assertThatThrownBy(() -> c("-n")).hasMessage("option \"-n\" needs an argument");
    }
}
