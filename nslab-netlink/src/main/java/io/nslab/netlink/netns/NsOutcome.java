package io.nslab.netlink.netns;

import java.util.Optional;

/**
 * What a batch call did for one namespace: the function's value (empty if it
 * returned null or failed) or the error (entering/creating the namespace, or
 * the function's own exception).
 */
public record NsOutcome<T>(String name, Optional<T> value, Optional<Exception> error) {
    public boolean ok() { return error.isEmpty(); }

    static <T> NsOutcome<T> done(String name, T value) { return new NsOutcome<>(name, Optional.ofNullable(value), Optional.empty()); }

    static <T> NsOutcome<T> failed(String name, Exception e) { return new NsOutcome<>(name, Optional.empty(), Optional.of(e)); }
}
