package io.nslab.state;

import java.io.IOException;

/**
 * A state path nslab refuses or cannot use: one line naming the path and the
 * problem (a symbolic link, a foreign owner, a group- or world-writable mode,
 * a full or read-only file system, a record that fails its checksum).
 */
public class StateException extends IOException {
    private final String path;

    public StateException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public StateException(String path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
    }

    /** The path the problem is about. */
    public String path() {
        return path;
    }
}
