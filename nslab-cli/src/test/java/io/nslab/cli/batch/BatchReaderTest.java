package io.nslab.cli.batch;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchReaderTest {
    @Test void commentsContinuationsAndNamespaces() throws Exception {
        String f = """
                # a comment
                link add br0 type bridge   # trailing
                
                -n ns1 link set lo up
                addr add 10.0.0.1/24 \\
                  dev br0
                link set br0 alias "my bridge"
                """;
        List<BatchLine> l = BatchReader.read("f", new BufferedReader(new StringReader(f)));
        assertThat(l).hasSize(4);
        assertThat(l.get(0).line()).isEqualTo(2);
        assertThat(l.get(0).words()).containsExactly("link", "add", "br0", "type", "bridge");
        assertThat(l.get(1).netns()).contains("ns1");
        assertThat(l.get(1).words()).containsExactly("link", "set", "lo", "up");
        assertThat(l.get(2).line()).isEqualTo(5);
        assertThat(l.get(2).words()).containsExactly("addr", "add", "10.0.0.1/24", "dev", "br0");
        assertThat(l.get(3).words()).last().isEqualTo("my bridge");
        assertThat(l.get(3).where()).isEqualTo("f:7");
    }

    @Test void badLinesNameTheLine() {
        assertThatThrownBy(() -> BatchReader.read("f", new BufferedReader(new StringReader("link\n-n\n"))))
                .hasMessage("f:2: \"-n\" needs a namespace name");
        assertThatThrownBy(() -> BatchReader.read("f", new BufferedReader(new StringReader("link set x alias \"a\n"))))
                .hasMessageContaining("f:1: unterminated");
    }
}
