package io.nslab.lab.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The parts of {@code /proc/PID/stat} that tell one process from another that reused its pid: the state
 * (field 3) and the start time in clock ticks since boot (field 22).
 */
record ProcStat(long pid, char state, long ppid, long start) {
    /** Alive: not a zombie nor dead (a zombie is gone for our purposes; its parent reaps it). */
    boolean alive() {
        return state != 'Z' && state != 'X' && state != 'x';
    }

    static Optional<ProcStat> of(long pid) {
        String s;
        try {
            s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // ESRCH while reading: it just ended
        }
        return parse(pid, s);
    }

    /** The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'. */
    static Optional<ProcStat> parse(long pid, String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) return Optional.empty();
        String[] f = stat.substring(close + 1).trim().split(" ");
        // f[0] is field 3 (state), so field N is f[N - 3]
        if (f.length < 20) return Optional.empty();
        try {
            return Optional.of(new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[19])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code pid} is still the process that started at {@code start} and has not ended. */
    static boolean same(long pid, long start) {
        return of(pid).map(p -> p.start == start && p.alive()).orElse(false);
    }
}
