package io.nslab.lab.apply;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.Step;
import io.nslab.lab.plan.StepJson;

import io.nslab.state.CorruptJournalException;
import io.nslab.state.JournalFile;
import io.nslab.state.StateDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a lab has done to the kernel, written before it is done: one JSON line
 * per event in {@code LAB/journal}, forced to storage before the step runs
 * (a batch of steps sent together is journaled with one force, before any of it runs).
 * A step whose intent is journaled may or may not have happened (the process
 * may die between the two), so every undo tolerates "already gone"; a step
 * that failed is marked so and is never undone (its object may be someone
 * else's, found in the way).
 *
 * <p>The file is a {@link JournalFile}: {@code 0600} in a verified {@code 0700}
 * directory, each line with its CRC-32C. A journal with a line that does not
 * check is corrupt: {@link #open} refuses it (nslab acts on none of it).
 *
 * <p>Lines: {@code {"event":"do","step":{...},"previous":"0"}},
 * {@code {"event":"owns","key":"netns NAME","inode":N}} (the namespace made is that one),
 * {@code {"event":"failed","key":"..."}}, {@code {"event":"undone","key":"..."}}, {@code {"event":"clear"}}
 * (after a complete teardown: the namespaces took everything inside them along).
 */
public final class Journal implements AutoCloseable {
    /** One journal line. {@code previous} is the value a sysctl had before the lab changed it. */
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Entry(String event, Optional<Step> step, Optional<String> key, Optional<String> previous, OptionalLong inode) {
        public Entry(String event, Optional<Step> step, Optional<String> key, Optional<String> previous) {
            this(event, step, key, previous, OptionalLong.empty());
        }
    }

    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(StepJson.module())
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Pattern NS_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");

    /** The most a journal may weigh (a 1000-node lab journals a few MB). */
    public static final long LIMIT = 64L << 20;
    public static final String NAME = "journal";

    private final Path file;
    private final JournalFile out;
    private final List<Entry> entries;

    private Journal(Path file, JournalFile out, List<Entry> entries) {
        this.file = file;
        this.out = out;
        this.entries = entries;
    }

    /**
     * Opens (creating) the journal in {@code labDir}, reading what is there; a
     * torn last line (crash mid-write) is dropped, a corrupt journal refused.
     */
    public static Journal open(Path labDir) throws IOException {
        try (StateDir dir = StateDir.open(labDir)) {
            return open(dir);
        }
    }

    /** Opens (creating) the journal in the verified directory {@code dir}. */
    public static Journal open(StateDir dir) throws IOException {
        JournalFile jf = JournalFile.open(dir, NAME, LIMIT);
        try {
            List<Entry> entries = parse(jf.path(), jf.records());
            checkEvidence(jf.path(), live(entries));
            return new Journal(jf.path(), jf, entries);
        } catch (IOException | RuntimeException e) {
            jf.close();
            throw e;
        }
    }

    /** Reads a journal without opening it for writing (status, plan); none if its directory does not exist. */
    public static List<Entry> read(Path file) throws IOException {
        if (!Files.exists(file.getParent(), LinkOption.NOFOLLOW_LINKS)) return new ArrayList<>();
        try (StateDir dir = StateDir.open(file.getParent())) {
            List<Entry> entries = parse(file, JournalFile.read(dir, file.getFileName().toString(), LIMIT));
            checkEvidence(file, live(entries));
            return entries;
        }
    }

    /**
     * The journal is evidence, not orders: a step nslab could never have
     * planned (a sysctl outside the namespaces the lab made, a namespace name
     * that is not one) means the journal was edited, and nslab acts on none of it.
     */
    static void checkEvidence(Path file, List<Done> live) throws CorruptJournalException {
        Set<String> made = new HashSet<>();
        for (Done d : live) {
            if (!(d.step() instanceof Step.CreateNs c)) continue;
            if (!NS_NAME.matcher(c.name()).matches() || c.name().equals(".") || c.name().equals(".."))
                throw new CorruptJournalException(file.toString(), 0, "names a namespace nslab could not have made ('"
                        + c.name() + "'): the journal was edited; nslab acts on none of it");
            made.add(c.name());
        }
        for (Done d : live) {
            // a lab changes nothing outside the namespaces it made but a host interface it moves into one of them
            // (given back on down) and a link it makes in the namespace nslab runs in (marked, HostMarks); nothing in
            // a namespace someone else made, and no address, route, table or sysctl outside its own
            boolean outside = switch (d.step()) {
                case Step.CreateNs c -> false;
                case Step.MoveLink m -> !made.contains(m.to().name()) || !(m.ns().isHost() || made.contains(m.ns().name()));
                case Step.AddLink l -> !(l.ns().isHost() || made.contains(l.ns().name()))
                        || l.spec() instanceof LinkSpec.Veth v && !(v.peerNs().isHost() || made.contains(v.peerNs().name()));
                default -> d.step().ns().isHost() || !made.contains(d.step().ns().name());
            };
            if (outside) throw new CorruptJournalException(file.toString(), 0, "holds '" + d.step().describe() + "', outside the namespaces the lab made: "
                    + "the journal was edited; nslab acts on none of it");
        }
    }

    private static List<Entry> parse(Path file, List<String> records) throws CorruptJournalException {
        List<Entry> entries = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                Entry e = JSON.readValue(records.get(i), Entry.class);
                if (e == null || e.event() == null) throw new IOException("no event");
                entries.add(e);
            } catch (IOException | RuntimeException bad) {
                // it passed its checksum, so nslab wrote it: a record of a newer nslab, or of a bug
                throw new CorruptJournalException(file.toString(), i + 1, "not a record this nslab understands");
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
        List<String> lines = new ArrayList<>(intents.size());
        List<Entry> added = new ArrayList<>(intents.size());
        for (Done d : intents) {
            Entry e = new Entry("do", Optional.of(d.step()), Optional.empty(), d.previous());
            lines.add(JSON.writeValueAsString(e));
            added.add(e);
        }
        out.append(lines);
        entries.addAll(added);
    }

    /**
     * Records the identity of namespaces this lab just made (their inodes),
     * with one force: the evidence {@code down} checks before it deletes one.
     */
    public void owns(Map<String, Long> inodes) throws IOException {
        if (inodes.isEmpty()) return;
        List<String> lines = new ArrayList<>(inodes.size());
        List<Entry> added = new ArrayList<>(inodes.size());
        for (Map.Entry<String, Long> i : inodes.entrySet()) {
            Entry e = new Entry("owns", Optional.empty(), Optional.of(new Step.CreateNs(i.getKey()).key()), Optional.empty(),
                    OptionalLong.of(i.getValue()));
            lines.add(JSON.writeValueAsString(e));
            added.add(e);
        }
        out.append(lines);
        entries.addAll(added);
    }

    /** The inode each live namespace had when the lab made it, by the namespace step's key (none if not recorded). */
    public Map<String, Long> inodes() {
        Map<String, Long> byKey = new HashMap<>();
        for (Entry e : entries) {
            switch (e.event()) {
                case "owns" -> { if (e.key().isPresent() && e.inode().isPresent()) byKey.put(e.key().get(), e.inode().getAsLong()); }
                case "do" -> e.step().ifPresent(st -> byKey.remove(st.key())); // made again: its identity comes after
                case "failed", "undone" -> e.key().ifPresent(byKey::remove);
                case "clear" -> byKey.clear();
                default -> { }
            }
        }
        return byKey;
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
        out.append(List.of(JSON.writeValueAsString(e)));
        entries.add(e);
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
