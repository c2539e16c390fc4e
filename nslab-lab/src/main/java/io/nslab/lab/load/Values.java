package io.nslab.lab.load;

import io.nslab.lab.model.Problem;
import java.util.List;
import java.util.Optional;

/** Scalar conversions shared by the loader, each reporting a problem at the value's place. */
final class Values {
    private Values() {}

    /** A whole number in {@code min..max}; {@code meaning} ("MTU", "port") goes into the fix hint. */
    static Optional<Integer> integer(Tree v, long min, long max, String what, String meaning, List<Problem> problems) {
        if (v instanceof Tree.Scalar s && s.type() == Tree.ScalarType.INT) {
            try {
                long n = Long.parseLong(s.text().replace("_", ""));
                if (n >= min && n <= max) return Optional.of((int) n);
            } catch (NumberFormatException e) {
                // out of long range: same message as out of bounds
            }
            problems.add(new Problem(v.loc(), what + " is " + s.text() + ", must be " + min + ".." + max, meaning + " range: " + min + ".." + max));
            return Optional.empty();
        }
        problems.add(new Problem(v.loc(), what + " must be a whole number " + min + ".." + max + ", not " + v.describe(),
                "write the " + meaning + " as a number without quotes"));
        return Optional.empty();
    }

    static Optional<String> text(Tree v, String what, List<Problem> problems) {
        if (v instanceof Tree.Scalar s && (s.type() == Tree.ScalarType.STRING || s.type() == Tree.ScalarType.INT))
            return Optional.of(s.text());
        problems.add(new Problem(v.loc(), what + " must be text, not " + v.describe(), "see docs/topology.md"));
        return Optional.empty();
    }
}
