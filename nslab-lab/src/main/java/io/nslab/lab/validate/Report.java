package io.nslab.lab.validate;

import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Problem;
import java.util.List;
import java.util.Optional;

/** The result of validating a file: the lab (when it could be read) and every problem, in file order. */
public record Report(Optional<Lab> lab, List<Problem> problems) {
    public Report {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return lab.isPresent() && problems.isEmpty();
    }

    /** The lab, or an {@link InvalidLabException} listing every problem. */
    public Lab orThrow() {
        if (!ok()) throw new InvalidLabException(problems);
        return lab.get();
    }
}
