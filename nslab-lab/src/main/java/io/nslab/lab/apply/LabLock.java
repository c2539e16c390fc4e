package io.nslab.lab.apply;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One run at a time per lab: an exclusive {@code fcntl} lock on
 * {@code LAB/lock}, released by the kernel when the process dies (even by
 * {@code kill -9}), so a crashed run never leaves the lab locked.
 */
public final class LabLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private LabLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails at once with {@link LabBusyException} naming the holder. */
    public static LabLock acquire(Path labDir, String lab) throws IOException {
        Files.createDirectories(labDir);
        Path file = labDir.resolve("lock");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this same JVM
        }
        if (l == null) {
            String holder = Files.readString(file, StandardCharsets.US_ASCII).strip();
            ch.close();
            throw new LabBusyException("lab " + lab + " is busy: another nslab run holds " + file
                    + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; wait for it to finish");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new LabLock(ch, l);
    }

    @Override public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
