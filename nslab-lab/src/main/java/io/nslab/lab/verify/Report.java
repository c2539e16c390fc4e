package io.nslab.lab.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Every check of a {@code verify} run and how long it took. */
public record Report(String lab, List<Check> checks, Duration took) {
    public Report {
        checks = List.copyOf(checks);
    }

    public long failures() { return checks.stream().filter(c -> !c.passed()).count(); }

    public boolean passed() { return failures() == 0; }

    /** The table {@code nslab verify} prints. */
    public String table() {
        String[] head = {"", "FROM", "TO", "PROBE", "EXPECT", "RESULT", "TIME", "SOURCE"};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (Check c : checks) {
            rows.add(new String[] {c.passed() ? "ok" : "FAIL", c.from(), c.to(), c.probe().describe(),
                    c.expectReach() ? "reach" : "blocked", (c.result().reached() ? "reached" : "blocked") + " (" + c.result().detail() + ")",
                    c.result().millis(), c.source()});
        }
        int[] w = new int[head.length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                b.append(r[i]);
                if (i < r.length - 1) b.append(" ".repeat(w[i] - r[i].length() + 2));
            }
            b.append('\n');
        }
        b.append(checks.size() - failures()).append('/').append(checks.size()).append(" checks passed");
        if (!passed()) b.append(", ").append(failures()).append(" failed");
        b.append(String.format(Locale.ROOT, " in %.2f s%n", took.toNanos() / 1e9));
        return b.toString();
    }
}
