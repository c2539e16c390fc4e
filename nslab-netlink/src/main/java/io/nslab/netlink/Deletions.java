package io.nslab.netlink;


import java.util.List;
import java.util.Optional;

/** The flush pattern of {@code ip addr/route/neigh flush}: deletions pipelined, "already gone" not an error. */
final class Deletions {
    private Deletions() {}

    /**
     * Sends {@code deletions} pipelined; a request failing with {@code goneErrno}
     * (the object vanished meanwhile, e.g. secondaries removed with their
     * primary) is skipped, any other failure thrown. Returns how many were deleted.
     */
    static int run(NlSocket socket, List<NlRequest> deletions, int goneErrno) throws ErrnoException {
        int n = 0;
        for (Optional<ErrnoException> e : socket.executeAll(deletions)) {
            if (e.isEmpty()) n++;
            else if (!e.get().is(goneErrno)) throw e.get();
        }
        return n;
    }
}
