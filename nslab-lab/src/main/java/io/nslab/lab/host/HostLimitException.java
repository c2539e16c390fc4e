package io.nslab.lab.host;

/** {@code up} stopped before any change: the lab needs more of the host than the host allows (one line, it says what to set). */
public final class HostLimitException extends Exception {
    public HostLimitException(String message) {
        super(message);
    }
}
