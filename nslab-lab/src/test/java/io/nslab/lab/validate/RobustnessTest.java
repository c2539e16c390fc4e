package io.nslab.lab.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged versions of every example (a line dropped, a value replaced by a list, a map, null, a negative number,
 * a word) never make the loader or the validator throw: they always answer with problems at real places.
 */
class RobustnessTest {
    static Stream<Path> examples() throws IOException {
        return ExamplesTest.examples();
    }

    static final List<String> REPLACEMENTS = List.of("[]", "{}", "null", "-1", "x", "\"a:b:c\"");

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void damagedExamplesNeverThrow(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<String> variants = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            List<String> dropped = new ArrayList<>(lines);
            dropped.remove(i);
            variants.add(String.join("\n", dropped));
            String line = lines.get(i);
            int colon = line.indexOf(": ");
            if (colon > 0 && !line.strip().startsWith("#")) {
                for (String r : REPLACEMENTS) {
                    List<String> changed = new ArrayList<>(lines);
                    changed.set(i, line.substring(0, colon + 2) + r);
                    variants.add(String.join("\n", changed));
                }
            }
        }
        int withProblems = 0;
        for (String v : variants) {
            Report r = Validator.checkText(v, "damaged.yaml");
            for (var p : r.problems()) {
                assertThat(p.at().line()).as(p.toString()).isPositive();
                assertThat(p.message()).isNotBlank();
            }
            if (!r.problems().isEmpty()) withProblems++;
        }
        assertThat(withProblems).as("most damaged variants are refused").isGreaterThan(variants.size() / 3);
    }
}
