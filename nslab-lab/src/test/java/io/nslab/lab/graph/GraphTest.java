package io.nslab.lab.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xml.sax.InputSource;

class GraphTest {
    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "examples"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @Test
    void s10Svg() throws Exception {
        Lab lab = Validator.defaultLab();
        String svg = Graph.svg(lab);
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        assertThat(svg).contains("docker0", "172.17.0.1/16", "veth-nginx", "172.17.10.10/16", "NAT masquerade 172.17.0.0/16 ! -o docker0",
                "publish tcp 8080 → nginx:80 (172.17.10.10)", "netns s10.docker", "8080→80", "9090→80");
        Path out = Path.of("target", "graph");
        Files.createDirectories(out);
        Files.writeString(out.resolve("s10.svg"), svg);
    }

    @Test
    void s10Mermaid() {
        String m = Graph.mermaid(Validator.defaultLab());
        assertThat(m).startsWith("flowchart LR\n").contains("subgraph", "docker0 · bridge<br/>172.17.0.1/16", "<-->|veth|", "-.-|port|",
                "==>|tcp 8080 → 80|");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleDraws(Path file) throws Exception {
        Lab lab = Validator.require(file);
        String svg = Graph.svg(lab);
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
        for (var n : lab.nodes()) assertThat(svg).contains("node-" + n.name());
        assertThat(Graph.mermaid(lab)).startsWith("flowchart LR");
        Path out = Path.of("target", "graph");
        Files.createDirectories(out);
        Files.writeString(out.resolve(file.getFileName().toString().replace(".yaml", ".svg")), svg);
        Files.writeString(out.resolve(file.getFileName().toString().replace(".yaml", ".mmd")), Graph.mermaid(lab));
    }
}
