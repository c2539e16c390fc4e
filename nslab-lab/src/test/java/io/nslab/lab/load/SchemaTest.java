package io.nslab.lab.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/topology.schema.json accepts every example, rejects unknown fields, and knows exactly the loader's fields. */
class SchemaTest {
    static final Path SCHEMA = Path.of("..", "docs", "topology.schema.json");
    static JsonNode schema;
    static SchemaCheck check;

    @BeforeAll
    static void load() throws IOException {
        schema = new ObjectMapper().readTree(SCHEMA.toFile());
        check = new SchemaCheck(schema);
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("..", "examples"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    static JsonNode yaml(Path p) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(p.toFile());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void examplesMatchTheSchema(Path file) throws IOException {
        assertThat(check.check(yaml(file))).as(file.toString()).isEmpty();
    }

    @Test
    void schemaRejectsUnknownFieldsAndBadValues() throws IOException {
        Path bad = Path.of("src", "test", "resources", "bad");
        assertThat(check.check(yaml(bad.resolve("13-unknown-field.yaml")))).anyMatch(e -> e.contains("/nodes/a/interface: unknown property"));
        assertThat(check.check(yaml(bad.resolve("23-vlan-bad-id.yaml")))).isNotEmpty();
        assertThat(check.check(yaml(bad.resolve("15-vxlan-without-vni.yaml")))).anyMatch(e -> e.contains("missing vni"));
        assertThat(check.check(new ObjectMapper().readTree(bad.resolve("40-json-unknown-field.json").toFile()))).isNotEmpty();
    }

    @Test
    void schemaFieldsAreTheLoadersFields() {
        JsonNode defs = schema.get("$defs");
        assertThat(names(schema.get("properties"))).isEqualTo(LabLoader.TOP);
        assertThat(names(defs.get("node").get("properties"))).isEqualTo(LabLoader.NODE);
        Set<String> iface = new HashSet<>(LabLoader.IFACE_COMMON);
        LabLoader.KIND_FIELDS.values().forEach(iface::addAll);
        assertThat(names(defs.get("interface").get("properties"))).isEqualTo(iface);
        assertThat(names(defs.get("route").get("properties"))).isEqualTo(LabLoader.ROUTE);
        assertThat(names(defs.get("masquerade").get("properties"))).isEqualTo(LabLoader.NAT);
        assertThat(names(defs.get("publish").get("properties"))).isEqualTo(LabLoader.PUBLISH);
        assertThat(names(defs.get("expectation").get("properties"))).isEqualTo(LabLoader.EXPECT);
        assertThat(names(defs.get("run").get("properties"))).isEqualTo(RunFields.RUN);
        assertThat(names(defs.get("link").get("anyOf").get(1).get("properties"))).isEqualTo(LabLoader.LINK);
        assertThat(names(defs.get("ends").get("items").get("anyOf").get(1).get("properties"))).isEqualTo(LabLoader.END);
        Set<String> kinds = new HashSet<>();
        defs.get("interface").get("properties").get("kind").get("enum").forEach(k -> kinds.add(k.asText()));
        assertThat(kinds).isEqualTo(LabLoader.KIND_FIELDS.keySet());
    }

    private static Set<String> names(JsonNode props) {
        Set<String> s = new HashSet<>();
        for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) s.add(it.next());
        return s;
    }
}
