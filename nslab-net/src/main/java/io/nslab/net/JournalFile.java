package io.nslab.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An append-only file of lines, each forced to storage before {@link #append}
 * returns, read back without a torn last line; {@link #clear} deletes it.
 * Nothing here knows what a line means, so it depends on the JDK alone: the
 * part of a write-ahead journal that networks and labs could share (the labs'
 * {@code io.nslab.lab.apply.Journal} does the same appends and reads with its
 * own records; it is not changed here).
 */
final class JournalFile {
    private final Path file;

    JournalFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    boolean exists() {
        return Files.exists(file);
    }

    /** Appends {@code lines} (one write, one force); all are durable before this returns. */
    void append(List<String> lines) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            if (l.indexOf('\n') >= 0) throw new IllegalArgumentException("a journal line holds a newline: " + l);
            sb.append(l).append('\n');
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) ch.write(b);
            ch.force(false);
        }
    }

    /** The complete lines, oldest first; a last line without its newline (a write cut short) is left out. */
    List<String> lines() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        String s = Files.readString(file, StandardCharsets.UTF_8);
        int start = 0;
        for (int nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', start)) {
            String line = s.substring(start, nl);
            if (!line.isBlank()) out.add(line);
            start = nl + 1;
        }
        return out;
    }

    /** Nothing is pending any more: the file goes. */
    void clear() throws IOException {
        Files.deleteIfExists(file);
    }
}
