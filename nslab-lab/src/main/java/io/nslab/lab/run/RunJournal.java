package io.nslab.lab.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;

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
import java.util.OptionalLong;

/**
 * What a lab started or wrote outside the kernel's network objects, journaled before it is done, in
 * {@code LAB/run.journal} beside the step journal (one JSON line each, forced to storage):
 * <ul>
 *   <li>{@code {"event":"hosts","paths":[...]}} before /etc/netns/LAB.NODE/hosts files are written;</li>
 *   <li>{@code {"event":"start","node":"web","index":0,"spec":"...","token":"...","cmd":[...]}} before a process
 *       is spawned (the token is in its environment: a process spawned just before a crash is still found; the
 *       command lets status show it without the lab file);</li>
 *   <li>{@code {"event":"pid",...,"pid":123,"start":4567}} once it runs: its pid and start time
 *       (/proc/PID/stat field 22), so a pid reused by another process is never signalled;</li>
 *   <li>{@code {"event":"exited",...}} when a {@code ready: exit} process ended well (it is not run again);</li>
 *   <li>{@code {"event":"stopped",...}} and {@code {"event":"hosts-removed"}} once undone.</li>
 * </ul>
 */
public final class RunJournal implements AutoCloseable {
    static final String FILE = "run.journal";

    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public record Entry(String event, Optional<String> node, Optional<Integer> index, Optional<String> spec,
                        Optional<String> token, OptionalLong pid, OptionalLong start, Optional<List<String>> paths,
                        Optional<List<String>> cmd) {
        Entry(String event, Optional<String> node, Optional<Integer> index, Optional<String> spec,
              Optional<String> token, OptionalLong pid, OptionalLong start, Optional<List<String>> paths) {
            this(event, node, index, spec, token, pid, start, paths, Optional.empty());
        }

        /** With the command: status shows it when the lab file is gone or no longer valid. */
        static Entry start(String node, int index, String spec, String token, List<String> cmd) {
            return new Entry("start", Optional.of(node), Optional.of(index), Optional.of(spec), Optional.of(token),
                    OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.of(cmd));
        }

        static Entry pid(String node, int index, long pid, long start) {
            return new Entry("pid", Optional.of(node), Optional.of(index), Optional.empty(), Optional.empty(),
                    OptionalLong.of(pid), OptionalLong.of(start), Optional.empty());
        }

        static Entry stopped(String node, int index) {
            return new Entry("stopped", Optional.of(node), Optional.of(index), Optional.empty(), Optional.empty(),
                    OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
        }

        static Entry exited(String node, int index) {
            return new Entry("exited", Optional.of(node), Optional.of(index), Optional.empty(), Optional.empty(),
                    OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
        }

        static Entry hosts(List<String> paths) {
            return new Entry("hosts", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    OptionalLong.empty(), OptionalLong.empty(), Optional.of(paths));
        }

        static Entry hostsRemoved() {
            return new Entry("hosts-removed", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
        }
    }

    /** A process the journal says may be running: pid and start time once known. */
    public record Proc(String node, int index, String spec, String token, OptionalLong pid, OptionalLong start, boolean exited,
                       List<String> cmd) {
        String key() { return node + "/" + index; }
    }

    /** What is in effect: processes started and not stopped, hosts files written and not removed. */
    public record State(List<Proc> procs, List<String> hostsFiles) {}

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final FileChannel out;

    private RunJournal(FileChannel out) {
        this.out = out;
    }

    public static RunJournal open(Path labDir) throws IOException {
        Files.createDirectories(labDir);
        return new RunJournal(FileChannel.open(labDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
    }

    /** Reads {@code LAB/run.journal} (absent: nothing); a torn last line (crash mid-write) is ignored. */
    public static State read(Path labDir) throws IOException {
        Path file = labDir.resolve(FILE);
        Map<String, Proc> procs = new LinkedHashMap<>();
        List<String> hosts = new ArrayList<>();
        if (!Files.exists(file)) return new State(List.of(), List.of());
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            Entry e;
            try {
                e = JSON.readValue(line, Entry.class);
            } catch (IOException torn) {
                break;
            }
            String key = e.node().orElse("") + "/" + e.index().orElse(-1);
            switch (e.event()) {
                case "start" -> procs.put(key, new Proc(e.node().orElseThrow(), e.index().orElseThrow(), e.spec().orElse(""),
                        e.token().orElse(""), OptionalLong.empty(), OptionalLong.empty(), false, e.cmd().orElse(List.of())));
                case "pid" -> procs.computeIfPresent(key, (k, p) -> new Proc(p.node(), p.index(), p.spec(), p.token(), e.pid(), e.start(), false, p.cmd()));
                case "exited" -> procs.computeIfPresent(key, (k, p) -> new Proc(p.node(), p.index(), p.spec(), p.token(), p.pid(), p.start(), true, p.cmd()));
                case "stopped" -> procs.remove(key);
                case "hosts" -> e.paths().ifPresent(p -> {
                    for (String s : p) if (!hosts.contains(s)) hosts.add(s);
                });
                case "hosts-removed" -> hosts.clear();
                default -> { }
            }
        }
        return new State(List.copyOf(procs.values()), List.copyOf(hosts));
    }

    /** Appends and forces to storage (hosts files outlive a crash of the machine: their entries must too). */
    public void append(List<Entry> entries) throws IOException {
        append(entries, true);
    }

    public void append(Entry e) throws IOException {
        append(List.of(e), true);
    }

    /**
     * Appends a process's entry without waiting for storage: a written line is in the page cache, so a later
     * nslab reads it whatever happens to this one (kill -9 included), and what it guards, a live process, does
     * not outlive a crash of the machine, the only case the force would cover. Forcing each start and pid
     * line cost about 2 ms apiece on this machine's disk (/run is not a tmpfs here): 4 s per 1,000 processes.
     */
    void appendProcess(Entry e) throws IOException {
        append(List.of(e), false);
    }

    private synchronized void append(List<Entry> entries, boolean force) throws IOException {
        if (entries.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) sb.append(JSON.writeValueAsString(e)).append('\n');
        ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) out.write(b);
        if (force) out.force(false);
    }

    @Override public void close() throws IOException { out.close(); }
}
