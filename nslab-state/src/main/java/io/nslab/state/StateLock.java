package io.nslab.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * An exclusive {@code fcntl} lock on a file of a {@link StateDir} holding the
 * holder's pid. The kernel releases it when the process dies, even by
 * {@code kill -9}, so a crash never leaves it held. {@code fcntl} locks belong
 * to the whole process, so threads of one JVM are also kept apart here (by a
 * semaphore, not bound to a thread: a shutdown hook may release it).
 *
 * <p>Whoever deletes the directory a lock lives in does so holding the lock
 * and deletes the lock file last: a run that was waiting and gets the lock
 * afterwards finds it {@linkplain #valid no longer valid} (the file is gone
 * or is another one) and starts again from a fresh directory, instead of
 * writing into one that no longer exists.
 */
public final class StateLock implements AutoCloseable {
    private static final Map<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();

    private final StateDir dir;
    private final String name;
    private final FileChannel channel;
    private final FileLock lock;
    private final Object fileKey;
    private final Semaphore jvm;

    private StateLock(StateDir dir, String name, FileChannel channel, FileLock lock, Object fileKey, Semaphore jvm) {
        this.dir = dir;
        this.name = name;
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
        this.jvm = jvm;
    }

    /** Takes the lock if it is free now, else empty (another process or thread holds it). */
    public static Optional<StateLock> tryAcquire(StateDir dir, String name) throws StateException {
        Semaphore jvm = jvmLock(dir, name);
        if (!jvm.tryAcquire()) return Optional.empty();
        return take(dir, name, jvm, false);
    }

    /** Waits for the lock. */
    public static StateLock acquire(StateDir dir, String name) throws StateException {
        Semaphore jvm = jvmLock(dir, name);
        jvm.acquireUninterruptibly();
        return take(dir, name, jvm, true).orElseThrow();
    }

    private static Optional<StateLock> take(StateDir dir, String name, Semaphore jvm, boolean wait) throws StateException {
        FileChannel ch = null;
        try {
            ch = dir.openForWriting(name, false);
            Object key = dir.fileKey(name).orElse(null);
            FileLock l;
            try {
                l = wait ? ch.lock() : ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // a lock of this JVM on another path to the same file
            }
            if (l == null) {
                ch.close();
                jvm.release();
                return Optional.empty();
            }
            StateLock held = new StateLock(dir, name, ch, l, key, jvm);
            if (held.valid()) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            }
            return Optional.of(held);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // reporting the first failure
                }
            }
            jvm.release();
            if (e instanceof StateException se) throw se;
            throw StateDir.failure(dir.path().resolve(name).toString(), "cannot lock", e);
        }
    }

    /** The pid written by the holder of {@code name}, if any (for a "busy" message). */
    public static Optional<String> holder(StateDir dir, String name) {
        try {
            return dir.read(name, 64).map(b -> new String(b, StandardCharsets.US_ASCII).strip()).filter(s -> !s.isEmpty());
        } catch (StateException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the locked file is still the one at its path, in a directory
     * still at its path: false once a run that held it before deleted them.
     */
    public boolean valid() {
        try {
            return fileKey != null && dir.stillAtPath() && dir.fileKey(name).map(fileKey::equals).orElse(false);
        } catch (StateException e) {
            return false;
        }
    }

    public Path path() {
        return dir.path().resolve(name);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel below releases it too
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the process still drops the lock when it exits
            }
            jvm.release();
        }
    }

    private static Semaphore jvmLock(StateDir dir, String name) {
        return IN_JVM.computeIfAbsent(dir.path().resolve(name), p -> new Semaphore(1));
    }
}
