package io.nslab.lab.apply;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.nslab.lab.plan.Step;
import io.nslab.lab.plan.StepJson;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a lab has done to the kernel, written before it is done: one JSON line
 * per event in {@code LAB/journal}, forced to storage before the step runs
 * (a batch of steps sent together is journaled with one force, before any of it runs).
 * A step whose intent is journaled may or may not have happened (the process
 * may die between the two), so every undo tolerates "already gone"; a step
 * that failed is marked so and is never undone (its object may be someone
 * else's, found in the way).
 *
 * <p>Lines: {@code {"event":"do","step":{...},"previous":"0"}},
 * {@code {"event":"failed","key":"..."}}, {@code {"event":"undone","key":"..."}}, {@code {"event":"clear"}}
 * (after a complete teardown: the namespaces took everything inside them along).
 */
public final class Journal implements AutoCloseable {
    /** One journal line. {@code previous} is the value a sysctl had before the lab changed it. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Entry(String event, Optional<Step> step, Optional<String> key, Optional<String> previous) {}

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(StepJson.module())
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;
    private final FileChannel out;
    private final List<Entry> entries;

    private Journal(Path file, FileChannel out, List<Entry> entries) {
        this.file = file;
        this.out = out;
        this.entries = entries;
    }

    /** Opens (creating) the journal in {@code labDir}, reading what is there; a torn last line (crash mid-write) is ignored. */
    public static Journal open(Path labDir) throws IOException {
        Files.createDirectories(labDir);
        Path file = labDir.resolve("journal");
        List<Entry> entries = read(file);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new Journal(file, ch, entries);
    }

    /** Reads a journal without opening it for writing (status). */
    public static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(file)) return entries;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            try {
                entries.add(JSON.readValue(line, Entry.class));
            } catch (IOException torn) {
                // only the last line can be torn (appends are sequential); nothing after it matters
                break;
            }
        }
        return entries;
    }

    public Path file() { return file; }

    /** Journals the intent to run {@code s}, durably, before it runs. */
    public void intend(Step s, Optional<String> previous) throws IOException {
        append(new Entry("do", Optional.of(s), Optional.empty(), previous));
    }

    /**
     * Journals the intents of a batch of steps with one force to storage:
     * all are durable before any of them reaches the kernel, which is what
     * {@code down} after a crash needs (it tolerates steps that never ran).
     */
    public void intendAll(List<Done> intents) throws IOException {
        if (intents.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        List<Entry> added = new ArrayList<>(intents.size());
        for (Done d : intents) {
            Entry e = new Entry("do", Optional.of(d.step()), Optional.empty(), d.previous());
            sb.append(JSON.writeValueAsString(e)).append('\n');
            added.add(e);
        }
        write(sb.toString().getBytes(StandardCharsets.UTF_8));
        entries.addAll(added);
    }

    public void failed(Step s) throws IOException {
        append(new Entry("failed", Optional.empty(), Optional.of(s.key()), Optional.empty()));
    }

    public void undone(Step s) throws IOException {
        append(new Entry("undone", Optional.empty(), Optional.of(s.key()), Optional.empty()));
    }

    /** Everything the lab made is gone (a complete {@code down}). */
    public void cleared() throws IOException {
        append(new Entry("clear", Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private void append(Entry e) throws IOException {
        write((JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8));
        entries.add(e);
    }

    private void write(byte[] lines) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(lines);
        while (b.hasRemaining()) out.write(b);
        out.force(false);
    }

    /** The steps in effect (done, not failed, not undone), oldest first, each with its recorded previous value. */
    public List<Done> live() {
        return live(entries);
    }

    /** A journaled step and the value it replaced (sysctls). */
    public record Done(Step step, Optional<String> previous) {}

    public static List<Done> live(List<Entry> entries) {
        Map<String, Done> byKey = new LinkedHashMap<>();
        for (Entry e : entries) {
            switch (e.event()) {
                case "do" -> e.step().ifPresent(s -> {
                    Done prior = byKey.remove(s.key());
                    // a sysctl set twice keeps the value from before the lab first touched it
                    byKey.put(s.key(), new Done(s, prior != null ? prior.previous() : e.previous()));
                });
                case "failed", "undone" -> e.key().ifPresent(byKey::remove);
                case "clear" -> byKey.clear();
                default -> { }
            }
        }
        return List.copyOf(byKey.values());
    }

    public List<Entry> entries() { return List.copyOf(entries); }

    @Override public void close() throws IOException { out.close(); }
}
