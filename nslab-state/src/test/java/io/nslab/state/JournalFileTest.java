package io.nslab.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checksummed records: what survives a crash, what is refused as corrupt. */
class JournalFileTest {
    @TempDir Path tmp;

    @Test
    void recordsCarryACrc32cAndComeBackInOrder() throws Exception {
        try (StateDir d = StateDir.open(tmp.resolve("s"))) {
            try (JournalFile j = JournalFile.open(d, "journal", 1 << 20)) {
                j.append(List.of("{\"event\":\"do\"}", "é"));
                j.append(List.of("third"));
                assertThat(j.records()).containsExactly("{\"event\":\"do\"}", "é", "third");
            }
            assertThat(Files.readString(d.path().resolve("journal")).lines().toList().get(2))
                    .isEqualTo(JournalFile.checksum("third".getBytes(StandardCharsets.UTF_8)) + " third");
            assertThat(JournalFile.checksum("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo("e3069283"); // the CRC-32C check value
            assertThat(JournalFile.read(d, "journal", 1 << 20)).containsExactly("{\"event\":\"do\"}", "é", "third");
        }
    }

    @Test
    void aTornLastLineIsDroppedAndCutOffBeforeTheNextAppend() throws Exception {
        try (StateDir d = StateDir.open(tmp.resolve("s"))) {
            try (JournalFile j = JournalFile.open(d, "journal", 1 << 20)) {
                j.append(List.of("one"));
            }
            Files.writeString(d.path().resolve("journal"), "0000abcd {\"half", StandardOpenOption.APPEND);
            assertThat(JournalFile.read(d, "journal", 1 << 20)).containsExactly("one");
            try (JournalFile j = JournalFile.open(d, "journal", 1 << 20)) {
                j.append(List.of("two"));
            }
            assertThat(JournalFile.read(d, "journal", 1 << 20)).containsExactly("one", "two");
        }
    }

    @Test
    void anEditedGarbledOrBinaryRecordMakesTheJournalCorrupt() throws Exception {
        try (StateDir d = StateDir.open(tmp.resolve("s"))) {
            Path f = d.path().resolve("journal");
            try (JournalFile j = JournalFile.open(d, "journal", 1 << 20)) {
                j.append(List.of("{\"op\":\"netns\",\"name\":\"a\"}", "{\"op\":\"netns\",\"name\":\"b\"}"));
            }
            String good = Files.readString(f);
            Files.writeString(f, good.replace("\"b\"", "\"x\""));
            assertThatThrownBy(() -> JournalFile.read(d, "journal", 1 << 20)).isInstanceOf(CorruptJournalException.class)
                    .hasMessage(f + ":2: checksum mismatch (the record was changed after nslab wrote it)");
            Files.writeString(f, good + "{\"op\":\"sysctl\"}\n");
            assertThatThrownBy(() -> JournalFile.open(d, "journal", 1 << 20))
                    .hasMessage(f + ":3: not a journal record (no checksum)");
            Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, '\n'});
            assertThatThrownBy(() -> JournalFile.read(d, "journal", 1 << 20))
                    .hasMessage(f + ":1: not text (binary data in the journal)");
            assertThatThrownBy(() -> JournalFile.read(d, "journal", 3)).hasMessage(f + ": is 5 bytes, more than the 3 nslab reads");
            Files.delete(f);
            Files.createDirectory(f);
            assertThatThrownBy(() -> JournalFile.read(d, "journal", 100)).hasMessage(f + ": is a directory, not a file");
        }
    }

    @Test
    void aRecordMayNotHoldALineBreak() throws Exception {
        try (StateDir d = StateDir.open(tmp.resolve("s")); JournalFile j = JournalFile.open(d, "journal", 100)) {
            assertThatThrownBy(() -> j.append(List.of("a\nb"))).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
