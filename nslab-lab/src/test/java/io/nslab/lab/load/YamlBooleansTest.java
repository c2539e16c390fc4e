package io.nslab.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.nslab.lab.model.IfaceKind;
import org.junit.jupiter.api.Test;

class YamlBooleansTest {
    @Test
    void yaml11SpellingsAreTrue() {
        Loaded l = LabLoader.parse("name: t\nnodes:\n  a:\n    forwarding: on\n    interfaces:\n      br0: {kind: bridge, stp: yes}\n", "t.yaml");
        assertThat(l.problems()).isEmpty();
        var a = l.lab().orElseThrow().node("a").orElseThrow();
        assertThat(a.forwarding().ipv4()).isTrue();
        assertThat(((IfaceKind.Bridge) a.iface("br0").orElseThrow().kind()).stp()).isTrue();
    }

    @Test
    void syntaxMessageIsOneLine() {
        assertThat(TreeParser.firstLine("while parsing a flow mapping\n in 'reader', line 5, column 12:\n    br0: {kind\n    ^\n"
                + "expected ',' or '}', but got :\n in 'reader', line 6, column 4:\n  b:\n   ^\n"))
                .isEqualTo("expected ',' or '}', while parsing a flow mapping (opened at line 5, column 12)");
    }
}
