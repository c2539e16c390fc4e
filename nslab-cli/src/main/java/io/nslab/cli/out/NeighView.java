package io.nslab.cli.out;

import java.util.List;
import java.util.Optional;

/** One neighbour entry as {@code ip -j neigh} prints it. */
public record NeighView(String dst, Optional<String> dev, Optional<String> lladdr, boolean router, boolean proxy,
                        List<String> state) {}
