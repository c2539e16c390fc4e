package io.nslab.lab.validate;

import io.nslab.lab.model.Lab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every lab under examples/ validates cleanly and has expectations; S1-S13 are all there. */
class ExamplesTest {
    static final Path DIR = Path.of("..", "examples");

    public static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void validates(Path file) {
        Report r = Validator.check(file);
        assertThat(r.problems()).as(file.toString()).isEmpty();
        Lab lab = r.lab().orElseThrow();
        assertThat(lab.expectations()).as("expectations of " + file).isNotEmpty();
        assertThat(lab.description()).isPresent();
    }

    @Test
    void everyScenarioHasAnExample() throws IOException {
        List<String> names = examples().map(p -> p.getFileName().toString()).toList();
        for (int i = 1; i <= 13; i++) {
            String prefix = String.format("s%02d-", i);
            assertThat(names).as("example for S" + i).anyMatch(n -> n.startsWith(prefix));
        }
    }

    @Test
    void defaultLabIsTheS10Example() throws IOException {
        String embedded;
        try (var in = Validator.class.getResourceAsStream("/io/nslab/lab/default-lab.yaml")) {
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DIR.resolve("s10-docker-bridge.yaml"))).isEqualTo(embedded);
    }
}
