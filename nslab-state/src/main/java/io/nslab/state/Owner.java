package io.nslab.state;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;

/**
 * The user nslab runs as (its effective uid, root in production): the only
 * owner its state may have. The JDK has no geteuid(); Linux tells it in
 * /proc/self/status ({@code Uid: real effective saved fs}).
 */
final class Owner {
    private static final UserPrincipal SELF = lookup();
    private static final UserPrincipal ROOT = byName("0");

    private Owner() {}

    static UserPrincipal self() {
        return SELF;
    }

    static boolean isSelfOrRootQuietly(UserPrincipal p) {
        return p.equals(SELF) || p.equals(ROOT);
    }

    private static UserPrincipal lookup() {
        try {
            // /proc/self belongs to the process's effective uid (and reads back with the user's name)
            UserPrincipal proc = Files.getOwner(Path.of("/proc/self"));
            if (proc != null) return proc;
        } catch (IOException | UnsupportedOperationException e) {
            // fall back to the numeric uid below
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (!line.startsWith("Uid:")) continue;
                String euid = line.substring(4).strip().split("\\s+")[1];
                return byName(euid);
            }
            throw new IllegalStateException("/proc/self/status has no Uid: line");
        } catch (IOException e) {
            throw new IllegalStateException("cannot tell which user this process runs as (/proc/self/status): " + e.getMessage(), e);
        }
    }

    /** A name that getpwnam(3) does not know is taken as a numeric uid. */
    private static UserPrincipal byName(String uid) {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(uid);
        } catch (IOException e) {
            throw new IllegalStateException("no user " + uid + ": " + e.getMessage(), e);
        }
    }
}
