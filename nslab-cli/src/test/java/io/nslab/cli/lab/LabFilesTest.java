package io.nslab.cli.lab;

import io.nslab.lab.load.LabLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab name of a file for `down`: read from its plain `name:` line, else left to the loader. */
class LabFilesTest {
    @TempDir Path tmp;

    private Optional<String> name(String text) throws Exception {
        Path f = tmp.resolve("lab.yaml");
        Files.writeString(f, text);
        return LabFiles.topLevelName(f);
    }

    @Test void aPlainNameLineIsEnough() throws Exception {
        assertThat(name("# a lab\nname: big\nnodes:\n  a: {}\n")).contains("big");
        assertThat(name("name: \"s10\"   # quoted\nnodes: {}\n")).contains("s10");
    }

    @Test void anythingElseGoesToTheLoader() throws Exception {
        assertThat(name("nodes:\n  a:\n    name: x\n")).isEmpty();                    // only nested names
        assertThat(name("{\"name\": \"j\", \"nodes\": {}}\n")).isEmpty();              // JSON
        assertThat(name("name: a\nname: b\n")).isEmpty();                              // twice
        assertThat(name("name: &n big\n")).isEmpty();                                  // an anchor
        assertThat(name("name: -bad\n")).isEmpty();                                    // not a lab name
        assertThat(name("---\nname: a\n---\nname: b\n")).isEmpty();                    // documents
    }

    @Test void downReadsTheSameNameAsTheLoader() throws Exception {
        Path f = BigLab.write(tmp, "big", 3);
        assertThat(LabFiles.labName(f.toString())).isEqualTo(LabLoader.load(f).lab().orElseThrow().name());
    }
}
