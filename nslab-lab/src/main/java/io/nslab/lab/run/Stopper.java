package io.nslab.lab.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Stops processes known by pid and start time: SIGTERM to all, then SIGKILL to those still there after the
 * grace period. A pid whose start time is not the recorded one belongs to someone else now and is left alone;
 * the JDK's ProcessHandle checks the start time once more at the kill itself.
 */
final class Stopper {
    /** A process to stop. */
    record Target(long pid, long start) {}

    static final Duration GRACE = Duration.ofMillis(1000);
    private static final Duration KILL_WAIT = Duration.ofMillis(1000);

    private Stopper() {}

    /** Returns the targets that could not be stopped (empty: all gone). */
    static List<Target> stop(List<Target> targets, Duration grace) {
        List<Target> live = alive(targets);
        if (live.isEmpty()) return live;
        for (Target t : live) signal(t, false);
        live = await(live, grace);
        if (live.isEmpty()) return live;
        for (Target t : live) signal(t, true);
        return await(live, KILL_WAIT);
    }

    /**
     * Stops {@code targets} and every process carrying the token {@code prefix}, then looks again until no
     * such process is left (at most {@value #PASSES} passes): a shell started as {@code sh -c "a; b"} may fork
     * its child between the look and the signal, and that child, left without its parent, carries the token
     * too. Returns what could not be stopped.
     */
    static List<Target> stopAll(List<Target> targets, String prefix, Duration grace) {
        Set<Target> first = new LinkedHashSet<>(targets);
        first.addAll(withToken(prefix));
        List<Target> left = stop(new ArrayList<>(first), grace);
        for (int pass = 1; pass < PASSES; pass++) {
            List<Target> more = withToken(prefix);
            more.removeAll(left);
            if (more.isEmpty()) break;
            left = new ArrayList<>(left);
            left.addAll(stop(more, grace));
        }
        return left;
    }

    private static final int PASSES = 5;

    private static List<Target> alive(List<Target> targets) {
        List<Target> out = new ArrayList<>();
        for (Target t : targets) if (t.pid() != ProcessHandle.current().pid() && ProcStat.same(t.pid(), t.start())) out.add(t);
        return out;
    }

    private static void signal(Target t, boolean kill) {
        Optional<ProcessHandle> h = ProcessHandle.of(t.pid());
        // the handle is taken before the check: if the check sees our process, the handle is of it too
        if (h.isEmpty() || !ProcStat.same(t.pid(), t.start())) return;
        if (kill) h.get().destroyForcibly();
        else h.get().destroy();
    }

    private static List<Target> await(List<Target> live, Duration within) {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            live = alive(live);
            if (live.isEmpty() || System.nanoTime() > end) return live;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return live;
            }
        }
    }

    /**
     * Every process whose environment holds {@code NSLAB_PROC=<prefix>...}: what a lab's processes carry,
     * also one spawned just before {@code up} died and children that left their parent. A process in the
     * middle of an exec shows an empty environment for a moment (its new memory is in place before the
     * kernel notes where the strings are): those are read again, {@value #REREADS} times {@value #REREAD_MILLIS}
     * ms apart, before they count as carrying nothing. Kernel threads, which never have one, are not.
     */
    static List<Target> withToken(String prefix) {
        byte[] needle = (LabRuntime.TOKEN + "=" + prefix).getBytes(StandardCharsets.UTF_8);
        List<Target> out = new ArrayList<>();
        List<Long> blank = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path p : d) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid != self) look(pid, needle, out, blank);
            }
        } catch (IOException e) {
            // no /proc: nothing more can be found
        }
        for (int i = 0; i < REREADS && !blank.isEmpty(); i++) {
            try {
                Thread.sleep(REREAD_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            List<Long> again = new ArrayList<>(blank);
            blank.clear();
            for (long pid : again) look(pid, needle, out, blank);
        }
        return out;
    }

    private static final int REREADS = 20, REREAD_MILLIS = 10;

    /** Adds {@code pid} to {@code out} if it carries the token, to {@code blank} if it shows no environment now. */
    private static void look(long pid, byte[] needle, List<Target> out, List<Long> blank) {
        byte[] env;
        try {
            env = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException gone) {
            return;
        }
        Optional<ProcStat> st = ProcStat.of(pid).filter(ProcStat::alive);
        if (st.isEmpty()) return;
        if (env.length == 0) {
            if (pid != KTHREADD && st.get().ppid() != KTHREADD) blank.add(pid);
            return;
        }
        if (containsEntry(env, needle)) out.add(new Target(pid, st.get().start()));
    }

    /** The kernel threads' parent. */
    private static final long KTHREADD = 2;

    /** Whether a NUL-separated environment block has an entry starting with {@code needle}. */
    static boolean containsEntry(byte[] env, byte[] needle) {
        int i = 0;
        while (i < env.length) {
            int end = i;
            while (end < env.length && env[end] != 0) end++;
            if (end - i >= needle.length) {
                boolean match = true;
                for (int k = 0; k < needle.length && match; k++) match = env[i + k] == needle[k];
                if (match) return true;
            }
            i = end + 1;
        }
        return false;
    }
}
