package io.nslab.lab.load;

import io.nslab.lab.model.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Input nslab refuses before (or instead of) parsing it: one problem, no exception, no minute-long parse. */
class LabLoaderLimitsTest {
    @TempDir Path tmp;

    static String only(Loaded l) {
        assertThat(l.lab()).isEmpty();
        assertThat(l.problems()).hasSize(1);
        return l.problems().getFirst().toString();
    }

    @Test
    void aTenMegabyteScalarIsRefusedBeforeParsing() throws Exception {
        Path f = tmp.resolve("big.yaml");
        Files.writeString(f, "name: big\nnodes:\n  a:\n    note: " + "x".repeat(10 << 20) + "\n");
        // the quadratic scan took 58 s on this input; the size is refused before the parser sees a byte
        String p = only(LabLoader.load(f));
        assertThat(p).startsWith(f + ": the file is " + Files.size(f) + " bytes, more than the 2097152 a lab file may have");
    }

    @Test
    void aLongScalarIsRefusedBeforeTheYamlParserScansIt() throws Exception {
        Path f = tmp.resolve("long.yaml");
        Files.writeString(f, "name: long\nnodes:\n  a:\n    note: " + "x".repeat(LabLoader.MAX_BYTES - 64) + "\n");
        String p = only(LabLoader.load(f));
        assertThat(p).startsWith(f + ":4:1: a line of " + (LabLoader.MAX_BYTES - 64 + 10) + " characters, more than the 65536 a lab file may have");
    }

    @Test
    void binaryValuesDirectoriesAndBinaryFilesAreProblemsNotCrashes() throws Exception {
        Path bin = tmp.resolve("bin.yaml");
        Files.writeString(bin, "name: b\nnodes:\n  a:\n    mtu: !!binary aGVsbG8=\n");
        Loaded l = LabLoader.load(bin);
        assertThat(l.problems()).extracting(Problem::toString)
                .anyMatch(s -> s.startsWith(bin + ":4:10: a binary value (!!binary) where a lab has only text, numbers and booleans"));
        Path dir = Files.createDirectory(tmp.resolve("dir.yaml"));
        assertThat(only(LabLoader.load(dir))).isEqualTo(dir + ": it is a directory (give the lab file inside it)");
        Path garbage = tmp.resolve("garbage.yaml");
        Files.write(garbage, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertThat(only(LabLoader.load(garbage))).isEqualTo(garbage + ": it is not UTF-8 text (a binary file?) (give a YAML or JSON lab file)");
        assertThat(only(LabLoader.load(tmp.resolve("missing.yaml")))).contains("cannot read the file: no such file");
    }
}
