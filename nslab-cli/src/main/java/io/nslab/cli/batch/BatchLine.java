package io.nslab.cli.batch;

import java.util.List;
import java.util.Optional;

/**
 * One command of a batch file: where it came from ({@code file:line}), the
 * namespace it targets (nslab's extension: a line may start with
 * {@code -n NS}; otherwise the global {@code -n} applies), and its words
 * starting with the object.
 */
public record BatchLine(String source, int line, Optional<String> netns, List<String> words) {
    public String where() { return source + ":" + line; }
}
