package io.nslab.netlink.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * FFM binding to {@code libnftables.so.1} (see {@code <nftables/libnftables.h>}),
 * wrapped once: callers get a {@link Context} whose {@link Context#run} returns
 * the command's return code together with the text libnftables wrote to its
 * output and error buffers.
 *
 * <p>The library is loaded lazily, the first time {@link #isAvailable()} or
 * {@link #newContext()} is called; a machine without it gets a clear reason
 * from {@link #unavailableReason()} instead of an {@link UnsatisfiedLinkError}.
 *
 * <p>errno is captured (only for the calls that report through it:
 * {@code nft_ctx_new}, {@code nft_ctx_buffer_output}, {@code nft_ctx_buffer_error})
 * into a segment of the call's own confined arena. {@code nft_run_cmd_from_buffer}
 * reports through the error buffer, not errno.
 */
@SuppressWarnings("restricted") // this package is where restricted FFM calls are meant to live
public final class LibNftables {
    private LibNftables() {}

    /** The soname this binding loads. */
    public static final String SONAME = "libnftables.so.1";

    /** {@code NFT_CTX_DEFAULT}: the only flag {@code nft_ctx_new} knows. */
    public static final int NFT_CTX_DEFAULT = 0;

    // enum { NFT_CTX_OUTPUT_* } from libnftables.h
    public static final int OUTPUT_REVERSEDNS = 1 << 0;
    public static final int OUTPUT_SERVICE = 1 << 1;
    public static final int OUTPUT_STATELESS = 1 << 2;
    public static final int OUTPUT_HANDLE = 1 << 3;
    public static final int OUTPUT_JSON = 1 << 4;
    public static final int OUTPUT_ECHO = 1 << 5;
    public static final int OUTPUT_GUID = 1 << 6;
    public static final int OUTPUT_NUMERIC_PROTO = 1 << 7;
    public static final int OUTPUT_NUMERIC_PRIO = 1 << 8;
    public static final int OUTPUT_NUMERIC_SYMBOL = 1 << 9;
    public static final int OUTPUT_NUMERIC_TIME = 1 << 10;
    public static final int OUTPUT_NUMERIC_ALL = OUTPUT_NUMERIC_PROTO | OUTPUT_NUMERIC_PRIO
            | OUTPUT_NUMERIC_SYMBOL | OUTPUT_NUMERIC_TIME;
    public static final int OUTPUT_TERSE = 1 << 11;

    /** What one {@code nft_run_cmd_from_buffer} produced. */
    public record Result(int rc, String output, String error) {
        public boolean ok() { return rc == 0; }
    }

    /** Loaded once, on first use; immutable afterwards. */
    private static final class Lib {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Optional<String> PROBLEM;
        static final MethodHandle CTX_NEW, CTX_FREE, OUT_GET_FLAGS, OUT_SET_FLAGS, GET_DRY_RUN, SET_DRY_RUN,
                BUFFER_OUTPUT, UNBUFFER_OUTPUT, GET_OUTPUT_BUFFER, BUFFER_ERROR, UNBUFFER_ERROR,
                GET_ERROR_BUFFER, RUN_CMD_FROM_BUFFER;

        static {
            SymbolLookup lookup = null;
            String problem = null;
            try {
                lookup = SymbolLookup.libraryLookup(SONAME, Arena.global());
            } catch (IllegalArgumentException | IllegalCallerException e) {
                problem = SONAME + " cannot be loaded (" + e.getMessage()
                        + "); install the nftables library (Debian/Ubuntu: apt-get install libnftables1)";
            }
            MethodHandle[] h = new MethodHandle[13];
            if (lookup != null) {
                try {
                    Linker.Option errno = Linker.Option.captureCallState("errno");
                    h[0] = bind(lookup, "nft_ctx_new", FunctionDescriptor.of(ADDRESS, JAVA_INT), errno);
                    h[1] = bind(lookup, "nft_ctx_free", FunctionDescriptor.ofVoid(ADDRESS));
                    h[2] = bind(lookup, "nft_ctx_output_get_flags", FunctionDescriptor.of(JAVA_INT, ADDRESS));
                    h[3] = bind(lookup, "nft_ctx_output_set_flags", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
                    h[4] = bind(lookup, "nft_ctx_get_dry_run", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
                    h[5] = bind(lookup, "nft_ctx_set_dry_run", FunctionDescriptor.ofVoid(ADDRESS, JAVA_BOOLEAN));
                    h[6] = bind(lookup, "nft_ctx_buffer_output", FunctionDescriptor.of(JAVA_INT, ADDRESS), errno);
                    h[7] = bind(lookup, "nft_ctx_unbuffer_output", FunctionDescriptor.of(JAVA_INT, ADDRESS));
                    h[8] = bind(lookup, "nft_ctx_get_output_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
                    h[9] = bind(lookup, "nft_ctx_buffer_error", FunctionDescriptor.of(JAVA_INT, ADDRESS), errno);
                    h[10] = bind(lookup, "nft_ctx_unbuffer_error", FunctionDescriptor.of(JAVA_INT, ADDRESS));
                    h[11] = bind(lookup, "nft_ctx_get_error_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
                    h[12] = bind(lookup, "nft_run_cmd_from_buffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
                } catch (UnsatisfiedLinkError e) {
                    problem = SONAME + " lacks " + e.getMessage() + " (too old?)";
                }
            }
            PROBLEM = Optional.ofNullable(problem);
            CTX_NEW = h[0]; CTX_FREE = h[1]; OUT_GET_FLAGS = h[2]; OUT_SET_FLAGS = h[3];
            GET_DRY_RUN = h[4]; SET_DRY_RUN = h[5]; BUFFER_OUTPUT = h[6]; UNBUFFER_OUTPUT = h[7];
            GET_OUTPUT_BUFFER = h[8]; BUFFER_ERROR = h[9]; UNBUFFER_ERROR = h[10];
            GET_ERROR_BUFFER = h[11]; RUN_CMD_FROM_BUFFER = h[12];
        }

        private static MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor fd, Linker.Option... opts) {
            MemorySegment sym = lookup.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
            return LINKER.downcallHandle(sym, fd, opts);
        }

        static void check() {
            if (PROBLEM.isPresent()) throw new UnsupportedOperationException(PROBLEM.get());
        }
    }

    /** True if {@code libnftables.so.1} and every symbol this binding needs were found. */
    public static boolean isAvailable() {
        return Lib.PROBLEM.isEmpty();
    }

    /** Why the library cannot be used, if it cannot. */
    public static Optional<String> unavailableReason() {
        return Lib.PROBLEM;
    }

    /**
     * {@code nft_ctx_new(NFT_CTX_DEFAULT)} followed by {@code nft_ctx_buffer_output}
     * and {@code nft_ctx_buffer_error}, so nothing is ever written to the JVM's
     * stdout/stderr.
     *
     * @throws UnsupportedOperationException if the library is not available
     */
    public static Context newContext() throws ErrnoException {
        Lib.check();
        MemorySegment ctx;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(Lib.CAPTURE);
            ctx = (MemorySegment) Lib.CTX_NEW.invokeExact(c, NFT_CTX_DEFAULT);
            if (ctx.equals(MemorySegment.NULL)) throw new ErrnoException("nft_ctx_new", errnoOr(c, Errno.ENOMEM));
            int r = (int) Lib.BUFFER_OUTPUT.invokeExact(c, ctx);
            if (r != 0) {
                int e = errnoOr(c, Errno.ENOMEM);
                freeQuietly(ctx);
                throw new ErrnoException("nft_ctx_buffer_output", e);
            }
            r = (int) Lib.BUFFER_ERROR.invokeExact(c, ctx);
            if (r != 0) {
                int e = errnoOr(c, Errno.ENOMEM);
                freeQuietly(ctx);
                throw new ErrnoException("nft_ctx_buffer_error", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return new Context(ctx);
    }

    private static int errnoOr(MemorySegment capture, int fallback) {
        int e = (int) Lib.ERRNO.get(capture, 0L);
        return e == 0 ? fallback : e;
    }

    private static void freeQuietly(MemorySegment ctx) {
        try {
            Lib.CTX_FREE.invokeExact(ctx);
        } catch (Throwable ignored) {
            // nothing sensible to do: the context is being abandoned anyway
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** Reads a NUL-terminated C string owned by libnftables; NULL reads as "". */
    private static String cString(MemorySegment p) {
        if (p.equals(MemorySegment.NULL)) return "";
        return p.reinterpret(Long.MAX_VALUE).getString(0);
    }

    /**
     * One {@code struct nft_ctx} with buffered output and error. libnftables
     * contexts are not thread-safe; every call here holds the context's lock,
     * so a Context may be shared, but calls are serialised. The netlink socket
     * inside the context belongs to the network namespace of the thread that
     * created the context.
     */
    public static final class Context implements AutoCloseable {
        private final ReentrantLock lock = new ReentrantLock();
        private MemorySegment ctx; // NULL once closed; guarded by lock

        private Context(MemorySegment ctx) {
            this.ctx = ctx;
        }

        private MemorySegment live() {
            if (ctx.equals(MemorySegment.NULL)) throw new IllegalStateException("nft context is closed");
            return ctx;
        }

        /** {@code nft_ctx_output_get_flags}. */
        public int outputFlags() {
            lock.lock();
            try {
                return (int) Lib.OUT_GET_FLAGS.invokeExact(live());
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                lock.unlock();
            }
        }

        /** {@code nft_ctx_output_set_flags}. */
        public void setOutputFlags(int flags) {
            lock.lock();
            try {
                Lib.OUT_SET_FLAGS.invokeExact(live(), flags);
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                lock.unlock();
            }
        }

        /** {@code nft_ctx_get_dry_run}. */
        public boolean dryRun() {
            lock.lock();
            try {
                return (boolean) Lib.GET_DRY_RUN.invokeExact(live());
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                lock.unlock();
            }
        }

        /** {@code nft_ctx_set_dry_run}: commands are checked by the kernel, then aborted. */
        public void setDryRun(boolean dry) {
            lock.lock();
            try {
                Lib.SET_DRY_RUN.invokeExact(live(), dry);
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                lock.unlock();
            }
        }

        /**
         * {@code nft_run_cmd_from_buffer} with the given output flags in force
         * for this call only, then reads (and so rewinds) both buffers.
         */
        public Result run(String command, int outputFlags) {
            return run(command, outputFlags, false);
        }

        /**
         * {@code nft_run_cmd_from_buffer} with the given output flags and dry-run
         * setting in force for this call only (restored afterwards, under the
         * context's lock). In dry-run mode the kernel checks the batch and then
         * aborts it.
         */
        public Result run(String command, int outputFlags, boolean dryRun) {
            lock.lock();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment c = live();
                int savedFlags = (int) Lib.OUT_GET_FLAGS.invokeExact(c);
                boolean savedDry = (boolean) Lib.GET_DRY_RUN.invokeExact(c);
                Lib.OUT_SET_FLAGS.invokeExact(c, outputFlags);
                Lib.SET_DRY_RUN.invokeExact(c, dryRun);
                try {
                    return runLocked(c, a.allocateFrom(command));
                } finally {
                    Lib.OUT_SET_FLAGS.invokeExact(c, savedFlags);
                    Lib.SET_DRY_RUN.invokeExact(c, savedDry);
                }
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                lock.unlock();
            }
        }

        /** {@code nft_run_cmd_from_buffer} with the context's current flags. */
        public Result run(String command) {
            lock.lock();
            try (Arena a = Arena.ofConfined()) {
                return runLocked(live(), a.allocateFrom(command));
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                lock.unlock();
            }
        }

        private static Result runLocked(MemorySegment c, MemorySegment cmd) throws Throwable {
            int rc = (int) Lib.RUN_CMD_FROM_BUFFER.invokeExact(c, cmd);
            // Both getters fflush + rewind their memstream, so the next command
            // starts from an empty buffer: read both every time.
            String out = cString((MemorySegment) Lib.GET_OUTPUT_BUFFER.invokeExact(c));
            String err = cString((MemorySegment) Lib.GET_ERROR_BUFFER.invokeExact(c));
            return new Result(rc, out, err);
        }

        /** {@code nft_ctx_unbuffer_output} + {@code nft_ctx_unbuffer_error} + {@code nft_ctx_free}; idempotent. */
        @Override
        public void close() {
            lock.lock();
            try {
                if (ctx.equals(MemorySegment.NULL)) return;
                MemorySegment c = ctx;
                ctx = MemorySegment.NULL;
                int r1 = (int) Lib.UNBUFFER_OUTPUT.invokeExact(c);
                int r2 = (int) Lib.UNBUFFER_ERROR.invokeExact(c);
                Lib.CTX_FREE.invokeExact(c);
                assert r1 == 0 && r2 == 0;
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                lock.unlock();
            }
        }
    }
}
