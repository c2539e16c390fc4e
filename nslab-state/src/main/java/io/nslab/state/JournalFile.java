package io.nslab.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only file of records (one line each, any text without a newline)
 * in a {@link StateDir}, each line carrying the CRC-32C of its record:
 * {@code 8-hex-digits SP record LF}. Appends are one write and one force, so
 * every record is durable before {@link #append} returns.
 *
 * <p>Reading: a last line without its newline is a write cut short (the
 * process died, the disk filled) and is dropped, and cut off the file before
 * anything is appended after it; any complete line that does not check (edited,
 * garbled, binary) makes the whole journal {@link CorruptJournalException
 * corrupt}: nslab acts on none of it. Nothing here knows what a record means.
 */
public final class JournalFile implements AutoCloseable {
    private final Path path;
    private final FileChannel out;
    private final List<String> records;

    private JournalFile(Path path, FileChannel out, List<String> records) {
        this.path = path;
        this.out = out;
        this.records = records;
    }

    /**
     * Opens (creating, {@code 0600}) the journal {@code name} in {@code dir} for
     * appending, after reading its records; refuses a corrupt journal or one
     * larger than {@code limit} bytes.
     */
    public static JournalFile open(StateDir dir, String name, long limit) throws StateException {
        Path path = dir.path().resolve(name);
        FileChannel ch = dir.openForWriting(name, true);
        try {
            byte[] bytes = dir.read(name, limit).orElse(new byte[0]);
            List<String> records = new ArrayList<>();
            int complete = parse(path.toString(), bytes, records);
            // a torn tail would glue onto the next record and turn it into garbage
            if (complete < bytes.length) {
                ch.truncate(complete);
                ch.force(false);
            }
            return new JournalFile(path, ch, records);
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            if (e instanceof StateException se) throw se;
            throw StateDir.failure(path.toString(), "cannot open", e);
        }
    }

    /** The records of {@code name} in {@code dir} without opening it for writing; empty if it does not exist. */
    public static List<String> read(StateDir dir, String name, long limit) throws StateException {
        List<String> out = new ArrayList<>();
        parse(dir.path().resolve(name).toString(), dir.read(name, limit).orElse(new byte[0]), out);
        return out;
    }

    public Path path() {
        return path;
    }

    /** The records read when the journal was opened, then those appended since, oldest first. */
    public List<String> records() {
        return List.copyOf(records);
    }

    /** Appends {@code batch} with one write and one force; on failure the file is cut back to what it was. */
    public void append(List<String> batch) throws StateException {
        if (batch.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        for (String r : batch) sb.append(line(r));
        long before = -1;
        try {
            before = out.size();
            ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) out.write(b);
            out.force(false);
        } catch (IOException e) {
            if (before >= 0) {
                try {
                    out.truncate(before);
                } catch (IOException ignored) {
                    // a torn tail is still dropped at the next open
                }
            }
            throw StateDir.failure(path.toString(), "cannot append", e);
        }
        records.addAll(batch);
    }

    /** {@code crc SP record LF}. */
    static String line(String record) {
        if (record.indexOf('\n') >= 0 || record.indexOf('\r') >= 0)
            throw new IllegalArgumentException("a journal record holds a line break: " + record);
        return checksum(record.getBytes(StandardCharsets.UTF_8)) + " " + record + "\n";
    }

    static String checksum(byte[] record) {
        CRC32C c = new CRC32C();
        c.update(record);
        return HexFormat.of().toHexDigits((int) c.getValue());
    }

    /** Adds the records of {@code bytes} to {@code out}; returns the length of the complete lines. */
    static int parse(String path, byte[] bytes, List<String> out) throws CorruptJournalException {
        int start = 0, lineNo = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            lineNo++;
            out.add(record(path, lineNo, bytes, start, i));
            start = i + 1;
        }
        return start;
    }

    private static String record(String path, int lineNo, byte[] bytes, int from, int to) throws CorruptJournalException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new CorruptJournalException(path, lineNo, "not text (binary data in the journal)");
        }
        if (text.length() < 10 || text.charAt(8) != ' ' || !HexFormat.isHexDigit(text.charAt(0)))
            throw new CorruptJournalException(path, lineNo, "not a journal record (no checksum)");
        String record = text.substring(9);
        String want = text.substring(0, 8);
        if (!want.equalsIgnoreCase(checksum(record.getBytes(StandardCharsets.UTF_8))))
            throw new CorruptJournalException(path, lineNo, "checksum mismatch (the record was changed after nslab wrote it)");
        return record;
    }

    @Override
    public void close() throws StateException {
        try {
            out.close();
        } catch (IOException e) {
            throw StateDir.failure(path.toString(), "cannot close", e);
        }
    }
}
