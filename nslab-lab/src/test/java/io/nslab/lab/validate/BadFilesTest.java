package io.nslab.lab.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.nslab.lab.model.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-file corpus: each {@code bad/NAME.yaml} (or .json) has a sidecar {@code bad/NAME.expected} listing
 * exactly the problems the validator must report, one per line, as {@code LINE:COLUMN: MESSAGE} (the fix hint
 * is not part of it). Run with {@code -Dbad.write=true} to (re)write the sidecars from the current output,
 * then review the diff.
 */
class BadFilesTest {
    static final Path DIR = Path.of("src", "test", "resources", "bad");

    static Stream<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> !p.toString().endsWith(".expected")).sorted().toList().stream();
        }
    }

    static String line(Problem p) {
        return p.at().line() + ":" + p.at().column() + ": " + p.message();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void reportsExactlyTheExpectedProblems(Path file) throws IOException {
        Report r = Validator.check(file);
        List<String> actual = r.problems().stream().map(BadFilesTest::line).toList();
        assertThat(r.problems()).allSatisfy(p -> assertThat(p.at().file()).isEqualTo(file.toString()));
        assertThat(r.problems()).allSatisfy(p -> assertThat(p.at().line()).isPositive());
        Path sidecar = Path.of(file.toString().replaceAll("\\.(yaml|json)$", ".expected"));
        if (Boolean.getBoolean("bad.write")) Files.write(sidecar, actual);
        assertThat(actual).as(file + " problems").isNotEmpty();
        List<String> expected = Files.readAllLines(sidecar).stream().filter(s -> !s.isBlank() && !s.startsWith("#")).toList();
        assertThat(actual).as(file.toString()).containsExactlyElementsOf(expected);
    }

    @Test
    void corpusIsLargeEnough() throws IOException {
        assertThat(files().count()).isGreaterThanOrEqualTo(30);
    }
}
