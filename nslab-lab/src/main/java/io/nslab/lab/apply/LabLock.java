package io.nslab.lab.apply;

import io.nslab.state.StateDir;
import io.nslab.state.StateException;
import io.nslab.state.StateLock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One run at a time per lab: an exclusive {@code fcntl} lock on
 * {@code LAB/lock} ({@link StateLock}), released by the kernel when the
 * process dies (even by {@code kill -9}), so a crashed run never leaves the
 * lab locked. {@code down} deletes the lab's directory while holding it, the
 * lock file last ({@link #removeLabDirectory}); a run that was waiting finds
 * its lock stale and takes a fresh one.
 */
public final class LabLock implements AutoCloseable {
    static final String NAME = "lock";
    private static final int ATTEMPTS = 5;

    private final StateDir labs;
    private final StateDir dir;
    private final StateLock lock;

    private LabLock(StateDir labs, StateDir dir, StateLock lock) {
        this.labs = labs;
        this.dir = dir;
        this.lock = lock;
    }

    /** Takes the lock or fails at once with {@link LabBusyException} naming the holder. */
    public static LabLock acquire(Path labDir, String lab) throws IOException {
        Path abs = labDir.toAbsolutePath().normalize();
        for (int i = 0; ; i++) {
            StateDir labs = StateDir.openParentOf(abs);
            StateDir dir = null;
            try {
                dir = labs.sub(abs.getFileName().toString());
                Optional<StateLock> l = StateLock.tryAcquire(dir, NAME);
                if (l.isEmpty()) {
                    Optional<String> holder = StateLock.holder(dir, NAME);
                    throw new LabBusyException("lab " + lab + " is busy: another nslab run holds " + abs.resolve(NAME)
                            + holder.map(h -> " (pid " + h + ")").orElse("") + "; wait for it to finish");
                }
                if (l.get().valid()) return new LabLock(labs, dir, l.get());
                // the holder before us deleted the directory: start again from a fresh one
                l.get().close();
            } catch (IOException | RuntimeException e) {
                if (dir != null) dir.close();
                labs.close();
                if (i + 1 >= ATTEMPTS || !(e instanceof StateException)) throw e;
                continue;
            }
            dir.close();
            labs.close();
            if (i + 1 >= ATTEMPTS) throw new LabBusyException("lab " + lab + ": its state directory " + abs + " keeps being removed by another run");
        }
    }

    /** The lab's verified state directory. */
    public StateDir dir() { return dir; }

    /**
     * Deletes the lab's state directory while still holding the lock: every
     * file but the lock, then the lock file, then the directory.
     */
    public void removeLabDirectory() throws IOException {
        for (String e : dir.list()) {
            if (e.equals(NAME)) continue;
            if (dir.isDirectory(e)) dir.deleteTree(e);
            else dir.delete(e);
        }
        dir.delete(NAME);
        labs.deleteTree(dir.path().getFileName().toString());
    }

    @Override public void close() {
        try {
            lock.close();
        } finally {
            dir.close();
            labs.close();
        }
    }
}
