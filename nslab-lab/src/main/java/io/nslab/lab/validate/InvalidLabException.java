package io.nslab.lab.validate;

import io.nslab.lab.model.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** A lab file with problems; the message lists each one on its own line ({@code file:line:column: ...}). */
public final class InvalidLabException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<Problem> problems;

    public InvalidLabException(List<Problem> problems) {
        super(problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + " in the lab file:\n"
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
