package io.nslab.netlink.netns;

import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.Fd;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.sys.Spawn;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A child started by posix_spawn inside a namespace (see {@link NetNs#start}).
 * Behaves like the JDK's Process: pipes for what was redirected to PIPE, the
 * null streams otherwise, exit code 128+N for a child killed by signal N.
 * Waiting uses a pidfd (or polls, for one started without) and starts no thread, so nothing of the JVM is left in
 * the namespace. The child is reaped by waitFor/exitValue/isAlive; a caller
 * that never waits leaves a zombie until the JVM exits, as in C.
 */
final class NsProcess extends Process {
    private final int pid;
    private final Optional<Fd> pidfd;   // empty: waiting polls
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final Object lock = new Object();
    private OptionalInt exit = OptionalInt.empty(); // guarded by lock

    NsProcess(int pid, Optional<Fd> pidfd, Optional<Fd> stdin, Optional<Fd> stdout, Optional<Fd> stderr) {
        this.pid = pid;
        this.pidfd = pidfd;
        this.stdin = stdin.<OutputStream>map(f -> new BufferedOutputStream(new FdOut(f))).orElse(OutputStream.nullOutputStream());
        this.stdout = stdout.<InputStream>map(f -> new BufferedInputStream(new FdIn(f))).orElse(InputStream.nullInputStream());
        this.stderr = stderr.<InputStream>map(f -> new BufferedInputStream(new FdIn(f))).orElse(InputStream.nullInputStream());
    }

    @Override public OutputStream getOutputStream() { return stdin; }
    @Override public InputStream getInputStream() { return stdout; }
    @Override public InputStream getErrorStream() { return stderr; }
    @Override public long pid() { return pid; }

    @Override public ProcessHandle toHandle() {
        return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("process " + pid + " has exited"));
    }

    /** Reaps the child if it has ended; the exit code if known. */
    private OptionalInt poll() {
        synchronized (lock) {
            if (exit.isPresent()) return exit;
            try {
                OptionalInt status = Spawn.waitpid(pid, Spawn.WNOHANG);
                if (status.isPresent()) {
                    int s = status.getAsInt();
                    int term = s & 0x7f;
                    exit = OptionalInt.of(term == 0 ? (s >> 8) & 0xff : 0x80 + term);
                    pidfd.ifPresent(Fd::close);
                }
            } catch (ErrnoException e) {
                throw new IllegalStateException("waitpid " + pid + ": " + e.getMessage(), e);
            }
            return exit;
        }
    }

    @Override public int waitFor() throws InterruptedException {
        for (;;) {
            OptionalInt e = poll();
            if (e.isPresent()) return e.getAsInt();
            awaitExit(100);
        }
    }

    @Override public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (;;) {
            if (poll().isPresent()) return true;
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            awaitExit((int) Math.min(100, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
        }
    }

    /** Blocks at most {@code millis} until the pidfd says the child ended; checks for interruption in between. */
    private void awaitExit(int millis) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        try {
            if (pidfd.isPresent() && pidfd.get().isOpen()) LibC.pollIn(pidfd.get().get(), millis);
        } catch (ErrnoException | IllegalStateException e) {
            Thread.sleep(millis); // pidfd closed by a concurrent waiter: poll() sees the exit next round
        }
        if (Thread.interrupted()) throw new InterruptedException();
    }

    @Override public int exitValue() {
        return poll().orElseThrow(() -> new IllegalThreadStateException("process " + pid + " has not exited"));
    }

    @Override public boolean isAlive() { return poll().isEmpty(); }

    @Override public void destroy() { signal(Spawn.SIGTERM); }

    @Override public Process destroyForcibly() {
        signal(Spawn.SIGKILL);
        return this;
    }

    @Override public boolean supportsNormalTermination() { return true; }

    private void signal(int sig) {
        synchronized (lock) {
            // Only while not reaped: after that the pid may belong to someone else.
            if (poll().isPresent()) return;
            try {
                Spawn.kill(pid, sig);
            } catch (ErrnoException e) {
                // ESRCH: it is gone already.
            }
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // Closing our end is best effort, as in the JDK.
        }
    }

    @Override public String toString() {
        OptionalInt e = poll();
        return "Process[pid=" + pid + ", exitValue=" + (e.isPresent() ? e.getAsInt() : "\"not exited\"") + "]";
    }

    private static final class FdIn extends InputStream {
        private final Fd fd;
        FdIn(Fd fd) { this.fd = fd; }

        @Override public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!fd.isOpen()) throw new IOException("Stream closed");
            int n = Spawn.read(fd.get(), b, off, Math.min(len, 64 * 1024));
            return n == 0 ? -1 : n;
        }

        @Override public void close() { fd.close(); }
    }

    private static final class FdOut extends OutputStream {
        private final Fd fd;
        FdOut(Fd fd) { this.fd = fd; }

        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            if (!fd.isOpen()) throw new IOException("Stream closed");
            Spawn.write(fd.get(), b, off, len);
        }

        @Override public void close() { fd.close(); }
    }
}
