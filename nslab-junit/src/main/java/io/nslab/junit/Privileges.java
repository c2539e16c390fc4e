package io.nslab.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this JVM may build labs: namespaces need CAP_SYS_ADMIN (setns, mounting /run/netns), links and
 * nftables CAP_NET_ADMIN, both in the effective set. Root has them; so has the root of a user namespace, over the
 * network namespaces that user namespace owns (see docs/junit.md).
 */
final class Privileges {
    static final int CAP_NET_ADMIN = 12, CAP_SYS_ADMIN = 21;

    private Privileges() {}

    /** Read once: JUnit asks for every class and every test, and a JVM's capabilities stay what they were. */
    private static volatile Optional<String> missing;

    /** Why labs cannot be built here, or empty when they can. */
    static Optional<String> missing() {
        Optional<String> m = missing;
        if (m == null) missing = m = read();
        return m;
    }

    private static Optional<String> read() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status")))
                if (l.startsWith("CapEff:")) return missing(Long.parseUnsignedLong(l.substring(7).strip(), 16));
        } catch (IOException | NumberFormatException e) {
            return Optional.of("nslab labs need Linux capabilities CAP_NET_ADMIN and CAP_SYS_ADMIN; cannot read /proc/self/status: " + e.getMessage());
        }
        return Optional.of("nslab labs need Linux capabilities CAP_NET_ADMIN and CAP_SYS_ADMIN; /proc/self/status has no CapEff line");
    }

    static Optional<String> missing(long capEff) {
        boolean net = (capEff >> CAP_NET_ADMIN & 1) != 0, sys = (capEff >> CAP_SYS_ADMIN & 1) != 0;
        if (net && sys) return Optional.empty();
        String lacks = !net && !sys ? "CAP_NET_ADMIN and CAP_SYS_ADMIN" : !net ? "CAP_NET_ADMIN" : "CAP_SYS_ADMIN";
        return Optional.of("nslab lab skipped: this JVM lacks " + lacks
                + " (run the tests as root, or inside a user namespace: unshare -Urnm; see docs/junit.md)");
    }
}
