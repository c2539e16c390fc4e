package io.nslab.lab.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One process of a node's {@code run:} list, started after the network is up, inside the node's namespace the
 * way {@code nslab exec} starts processes (no shell unless the command is one).
 *
 * @param cmd     program and arguments; a program without '/' is looked up in PATH
 * @param after   nodes whose processes must all be ready before this one starts
 * @param timeout how long {@code ready} may take (default 10 s)
 */
public record Run(List<String> cmd, Map<String, String> env, Optional<String> workdir, Ready ready, List<String> after, Duration timeout, Src src) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public Run {
        cmd = List.copyOf(cmd);
        env = Map.copyOf(env);
        after = List.copyOf(after);
    }

    /** The port {@code ready:} waits on, for {@code reaches ... tcp/udp PORT} expectations. */
    public Optional<Integer> listens(Proto transport) {
        return switch (ready) {
            case Ready.Tcp t when transport == Proto.TCP -> Optional.of(t.port());
            case Ready.Udp u when transport == Proto.UDP -> Optional.of(u.port());
            default -> Optional.empty();
        };
    }
}
