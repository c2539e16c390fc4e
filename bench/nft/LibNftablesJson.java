import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Bench-only FFM binding to libnftables.so.1, just enough to send one JSON
 * batch per call: the baseline the netlink backend replaces. Its own copy, not
 * nslab's sys/LibNftables, because that one is being removed from the library.
 */
@SuppressWarnings("restricted") // the bench runs with --enable-native-access=ALL-UNNAMED
final class LibNftablesJson implements AutoCloseable {
    private static final String SONAME = "libnftables.so.1";
    private static final int NFT_CTX_DEFAULT = 0;
    // libnftables 1.0.6 has no input flags (1.0.7 added them): it tries the JSON parser only when JSON output is on
    private static final int NFT_CTX_OUTPUT_JSON = 1 << 4;

    private final MethodHandle runCmd, errorBuffer, free;
    private MemorySegment ctx;

    private LibNftablesJson(MethodHandle runCmd, MethodHandle errorBuffer, MethodHandle free, MemorySegment ctx) {
        this.runCmd = runCmd;
        this.errorBuffer = errorBuffer;
        this.free = free;
        this.ctx = ctx;
    }

    /** A context in the calling thread's netns; empty if the library is not installed. */
    static Optional<LibNftablesJson> open() throws Throwable {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup(SONAME, Arena.global());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        MethodHandle ctxNew = bind(lib, "nft_ctx_new", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        MethodHandle setFlags = bind(lib, "nft_ctx_output_set_flags", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        MethodHandle bufferOutput = bind(lib, "nft_ctx_buffer_output", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle bufferError = bind(lib, "nft_ctx_buffer_error", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MemorySegment ctx = (MemorySegment) ctxNew.invokeExact(NFT_CTX_DEFAULT);
        if (ctx.equals(MemorySegment.NULL)) throw new IllegalStateException("nft_ctx_new returned NULL");
        var l = new LibNftablesJson(
                bind(lib, "nft_run_cmd_from_buffer", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                bind(lib, "nft_ctx_get_error_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS)),
                bind(lib, "nft_ctx_free", FunctionDescriptor.ofVoid(ADDRESS)), ctx);
        setFlags.invokeExact(ctx, NFT_CTX_OUTPUT_JSON);
        // buffered, so that libnftables never writes into the bench's own stdout/stderr
        if ((int) bufferOutput.invokeExact(ctx) != 0 || (int) bufferError.invokeExact(ctx) != 0) {
            l.close();
            throw new IllegalStateException("nft_ctx_buffer_output/error failed");
        }
        return Optional.of(l);
    }

    private static MethodHandle bind(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return Linker.nativeLinker().downcallHandle(lib.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd);
    }

    /** One {@code nft_run_cmd_from_buffer}: the kernel commits the whole batch or nothing. */
    void run(String json) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            int rc = (int) runCmd.invokeExact(ctx, a.allocateFrom(json));
            if (rc != 0) {
                MemorySegment err = (MemorySegment) errorBuffer.invokeExact(ctx);
                throw new IllegalStateException("libnftables refused " + json + ": " + err.reinterpret(Long.MAX_VALUE).getString(0));
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (ctx == null) return;
        try {
            free.invokeExact(ctx);
        } catch (Throwable t) {
            throw new Exception(t);
        } finally {
            ctx = null;
        }
    }
}
