package io.nslab.lab.load;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Problem;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the loader made of a file: the lab (as much of it as could be read; empty only when the text is not
 * YAML/JSON at all), the problems found while reading, and the names that were declared but could not be
 * read (so the validator does not also call references to them "unknown").
 */
public record Loaded(Optional<Lab> lab, List<Problem> problems, Set<String> brokenNodes, Set<IfRef> brokenIfaces) {
    public Loaded {
        problems = List.copyOf(problems);
        brokenNodes = Set.copyOf(brokenNodes);
        brokenIfaces = Set.copyOf(brokenIfaces);
    }

    public boolean ok() {
        return problems.isEmpty() && lab.isPresent();
    }
}
