package io.nslab.junit;

import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.engine.LabStatus;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Instance names, and the leftovers of test JVMs that died without tearing down (kill -9, a crash).
 *
 * <p>Each JVM takes a random token and holds a lock on {@code RUN/junit/TOKEN.lock} for its whole life; its labs
 * are named {@code BASE-jTOKENn} (n counts, in base 36). The kernel drops the lock when the process dies, however
 * it dies, so a lock file that can be locked belongs to a dead JVM: the next JVM that makes a lab takes it, brings
 * down that token's labs from their journals, and deletes it. A lock file appears only already locked (it is
 * locked under a temporary name and renamed), so a starting JVM is never taken for a dead one. A lab's journal
 * survives its JVM either way, so {@code nslab down NAME} removes it too.
 */
final class Owners {
    /** Lab names are at most 32 characters ({@code KernelNames.LAB_NAME}). */
    static final int NAME_MAX = 32;
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private final Path dir;
    private final String token;
    private final AtomicLong counter = new AtomicLong();
    @SuppressWarnings("unused") private final FileChannel held;   // kept open: the lock lives as long as this JVM
    @SuppressWarnings("unused") private final FileLock lock;

    private Owners(Path dir, String token, FileChannel held, FileLock lock) {
        this.dir = dir;
        this.token = token;
        this.held = held;
        this.lock = lock;
    }

    /** Takes a token for this JVM under {@code dir}: a locked {@code TOKEN.lock}. */
    static Owners take(Path dir) throws IOException {
        Files.createDirectories(dir);
        SecureRandom r = new SecureRandom();
        for (;;) {
            StringBuilder t = new StringBuilder();
            for (int i = 0; i < 4; i++) t.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            Path tmp = dir.resolve(t + ".lock.new"), file = dir.resolve(t + ".lock");
            if (Files.exists(file)) continue;
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.lock();
            Files.writeString(tmp, ProcessHandle.current().pid() + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return new Owners(dir, t.toString(), ch, l);
        }
    }

    String token() { return token; }

    /** A lab name no other lab of this or any other live JVM has: {@code base} cut to fit, then {@code -jTOKENn}. */
    String next(String base) {
        String suffix = "-j" + token + Long.toString(counter.getAndIncrement(), 36);
        String b = base.length() + suffix.length() > NAME_MAX ? base.substring(0, NAME_MAX - suffix.length()) : base;
        return b + suffix;
    }

    /** The names {@link #next} gives for {@code token}. */
    static Pattern namesOf(String token) {
        return Pattern.compile(".*-j" + Pattern.quote(token) + "[0-9a-z]+");
    }

    /** Brings down the labs of every dead JVM (its lock file free); returns their names. */
    List<String> sweep(LabEngine engine) throws Exception {
        List<String> downed = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.lock")) {
            for (Path p : s) files.add(p);
        }
        for (Path p : files) {
            String t = p.getFileName().toString().replace(".lock", "").toLowerCase(Locale.ROOT);
            if (t.equals(token)) continue;
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE); FileLock l = ch.tryLock()) {
                if (l == null) continue;                       // its JVM is alive
                Pattern mine = namesOf(t);
                boolean clean = true;
                for (LabStatus st : engine.status())
                    if (mine.matcher(st.lab()).matches()) {
                        stopPrograms(st.namespaces());
                        clean &= engine.down(st.lab()).clean();
                        downed.add(st.lab());
                    }
                if (clean) Files.deleteIfExists(p);             // else the next sweep tries again
            } catch (OverlappingFileLockException | IOException e) {
                // held in this JVM, or gone meanwhile (another JVM swept it): not ours to sweep
            }
        }
        return downed;
    }

    /**
     * Kills what still runs in a dead JVM's lab: programs its tests started with {@link Node#spawn} are its
     * children, not the lab's (no journal names them), so they outlive a killed JVM and would keep the
     * namespace, its links and its sockets alive after {@code down} unmounts it.
     */
    private static void stopPrograms(List<String> namespaces) {
        List<ProcessHandle> left = new ArrayList<>();
        for (String ns : namespaces) {
            try {
                for (long pid : NetNs.pids(ns)) ProcessHandle.of(pid).ifPresent(left::add);
            } catch (NetNsException gone) {
                // no such namespace any more: nothing runs in it
            }
        }
        for (ProcessHandle p : left) p.destroyForcibly();
        for (ProcessHandle p : left) {
            try {
                p.onExit().get(2, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // down goes on: the namespace loses its name, and the process is the one thing left
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
