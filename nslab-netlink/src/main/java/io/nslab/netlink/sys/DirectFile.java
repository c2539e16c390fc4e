package io.nslab.netlink.sys;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A file written past the page cache (O_DIRECT), for streams too fast for it:
 * copying a capture into the page cache costs the kernel about 1.3 s of CPU
 * per GB here, the same bytes written direct about 0.15 s. Bytes are copied
 * into one of sixteen aligned 1 MiB chunks; a full chunk is written by a thread
 * of its own (so the disk's time overlaps the caller's), the last partial one
 * on {@link #close}. A chunk's bytes also reach the file (through the page
 * cache) once the caller has written nothing for 100 ms, so a reader of a
 * slow stream sees it as it comes. When all sixteen chunks wait for the disk
 * (another writer sharing it), the next one goes through the page cache at
 * once: the caller never waits for the disk.
 * Where the filesystem refuses O_DIRECT (tmpfs before 6.6, some network
 * filesystems) the same chunks go through the page cache.
 */
public final class DirectFile implements GatheringByteChannel {
    static final int CHUNK = 1 << 20, CHUNKS = 16, ALIGN = 4096;
    private static final int O_TRUNC = 0x200, O_DIRECT = 0x4000;
    private static final long IDLE_NANOS = 100_000_000L;

    private static final class Pwrite { static final MethodHandle H = LibC.fn("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG)); }

    private record Chunk(MemorySegment data, long offset, int length) {}
    private static final Chunk END = new Chunk(MemorySegment.NULL, 0, 0);

    private final Fd direct, plain;           // the same file, with and without O_DIRECT (or twice without)
    private final boolean isDirect;
    /** Set by the writer when a direct write was refused (a filesystem that takes O_DIRECT at open only). */
    private volatile boolean directRefused;
    private final Arena arena = Arena.ofShared();
    private final BlockingQueue<MemorySegment> free = new ArrayBlockingQueue<>(CHUNKS);
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
    private final ReentrantLock lock = new ReentrantLock();     // the current chunk: the caller fills it, the writer shows it when idle
    private final Thread writer;

    private MemorySegment current;
    private long currentOffset, lastWrite;
    private int fill, shown;
    private int allocated;                    // chunks made so far (the caller's thread only)                  // bytes of the current chunk filled, and already in the file
    private volatile IOException failed;
    private boolean open = true;

    private DirectFile(Fd direct, Fd plain, boolean isDirect) {
        this.direct = direct;
        this.plain = plain;
        this.isDirect = isDirect;
        current = arena.allocate(CHUNK, ALIGN);      // the others when a stream needs them: a slow capture never does
        allocated = 1;
        writer = Thread.ofPlatform().daemon(true).name("direct-file").start(this::drain);
    }

    /**
     * Creates (or truncates) {@code path}, mode 0666 less the umask as {@code FileChannel.open} does.
     * Errors are the {@code java.nio.file} exceptions naming the path.
     */
    public static DirectFile create(Path path) throws IOException {
        String p = path.toString();
        int plainFd = open(p, LibC.O_WRONLY | LibC.O_CREAT | O_TRUNC);
        int directFd;
        try {
            directFd = LibC.open(p, LibC.O_WRONLY | O_DIRECT, 0);
        } catch (ErrnoException e) {
            if (!e.is(Errno.EINVAL)) {
                LibC.closeQuietly(plainFd);
                throw nio(p, e);
            }
            directFd = -1;      // no O_DIRECT here: both ends write through the page cache
        }
        Fd plain = new Fd(plainFd);
        return directFd >= 0 ? new DirectFile(new Fd(directFd), plain, true) : new DirectFile(plain, plain, false);
    }

    /** Whether full chunks bypass the page cache. */
    public boolean isDirect() { return isDirect && !directRefused; }

    private static int open(String path, int flags) throws IOException {
        try {
            return LibC.open(path, flags, 0666);
        } catch (ErrnoException e) {
            throw nio(path, e);
        }
    }

    private static IOException nio(String path, ErrnoException e) {
        if (e.is(Errno.ENOENT)) return new NoSuchFileException(path);
        if (e.is(Errno.EACCES, Errno.EPERM)) return new AccessDeniedException(path);
        return new FileSystemException(path, null, Errno.describe(e.errno()));
    }

    @Override public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        lock.lock();
        try {
            if (!open) throw new ClosedChannelException();
            for (int i = offset; i < offset + length; i++) {
                ByteBuffer b = srcs[i];
                MemorySegment s = MemorySegment.ofBuffer(b);
                int at = 0, left = b.remaining();
                while (left > 0) {
                    rethrow();
                    int k = Math.min(left, CHUNK - fill);
                    MemorySegment.copy(s, at, current, fill, k);
                    fill += k;
                    at += k;
                    left -= k;
                    if (fill == CHUNK) next();
                }
                b.position(b.limit());
                n += at;
            }
            lastWrite = System.nanoTime();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Hands the full current chunk to the writer and takes a free one; when none is free (the disk
     * is behind), writes it through the page cache here instead: the caller pays the copy, as a
     * buffered writer always does, rather than wait for the disk and let its source overflow.
     */
    private void next() throws IOException {
        MemorySegment m = free.poll();
        if (m == null && allocated < CHUNKS) {
            m = arena.allocate(CHUNK, ALIGN);
            allocated++;
        }
        if (m != null) {
            full.add(new Chunk(current, currentOffset, CHUNK));
            current = m;
        } else {
            write(plain, current.asSlice(shown, CHUNK - shown), currentOffset + shown, CHUNK - shown);
            rethrow();
        }
        currentOffset += CHUNK;
        fill = 0;
        shown = 0;
    }

    private void rethrow() throws IOException {
        IOException f = failed;
        if (f != null) throw new IOException(f.getMessage(), f);
    }

    /** The writer thread: full chunks to the file, and the current one's new bytes when the caller is idle. */
    private void drain() {
        try {
            for (;;) {
                Chunk c = full.poll(IDLE_NANOS, TimeUnit.NANOSECONDS);
                if (c == END) return;
                if (c != null) {
                    if (failed == null) write(directRefused ? plain : direct, c.data(), c.offset(), c.length());
                    free.put(c.data());
                } else if (failed == null && lock.tryLock()) {
                    try {
                        if (open && fill > shown && System.nanoTime() - lastWrite >= IDLE_NANOS) showCurrent();
                    } finally {
                        lock.unlock();
                    }
                }
            }
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** The current chunk's bytes not yet in the file, through the page cache (held: the lock). */
    private void showCurrent() {
        write(plain, current.asSlice(shown, fill - shown), currentOffset + shown, fill - shown);
        shown = fill;
    }

    private void write(Fd fd, MemorySegment data, long offset, int length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = LibC.capture(a);
            long done = 0;
            while (done < length) {
                long r = (long) Pwrite.H.invokeExact(c, fd.get(), data.asSlice(done), (long) length - done, offset + done);
                if (r < 0) {
                    int e = LibC.errno(c);
                    if (e == Errno.EINTR) continue;
                    if (e == Errno.EINVAL && fd == direct && isDirect && !directRefused) {
                        directRefused = true;       // accepted at open, refused at write: the page cache from here on
                        fd = plain;
                        continue;
                    }
                    failed = new IOException(Errno.describe(e));
                    return;
                }
                if (r == 0) {
                    failed = new IOException(Errno.describe(Errno.ENOSPC));
                    return;
                }
                done += r;
            }
        } catch (Throwable t) {
            failed = new IOException(t.toString(), t);
        }
    }

    @Override public boolean isOpen() { return open; }

    /** Writes what is left (the chunks waiting and the partial last one) and closes the file. */
    @Override public void close() throws IOException {
        lock.lock();
        try {
            if (!open) return;
            open = false;
        } finally {
            lock.unlock();
        }
        boolean joined = false;
        try {
            full.put(END);
            writer.join();
            joined = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.interrupt();
            failed = new IOException("interrupted before the last bytes were written");
        }
        try {
            if (failed == null && fill > shown) showCurrent();
        } finally {
            if (isDirect) direct.close();
            plain.close();
            if (joined) arena.close();      // else the writer may still be in a pwrite from it: left to the GC's cleaner-less fate
        }
        rethrow();
    }
}
