package io.nslab.lab.model;

import java.time.Duration;

/**
 * When a {@code run:} process counts as ready, gating the node's next process, the nodes {@code after:} it and
 * {@code up}'s success. A process that ends before it is ready fails {@code up} (except {@link Exit} with status 0).
 */
public sealed interface Ready {
    /** Something in the node's namespace listens on TCP {@code port} (any address). */
    record Tcp(int port) implements Ready {}

    /** Something in the node's namespace has UDP {@code port} bound. */
    record Udp(int port) implements Ready {}

    /** The process ended with status 0. */
    record Exit() implements Ready {}

    /** The file exists (a pid file, a socket). */
    record File(String path) implements Ready {}

    /** The process is still running after this long. */
    record Delay(Duration after) implements Ready {}

    /** As soon as it is started (no {@code ready:}). */
    record Started() implements Ready {}

    default String word() {
        return switch (this) {
            case Tcp t -> "tcp " + t.port();
            case Udp u -> "udp " + u.port();
            case Exit _ -> "exit";
            case File f -> "file " + f.path();
            case Delay d -> d.after().toMillis() + "ms";
            case Started _ -> "started";
        };
    }
}
