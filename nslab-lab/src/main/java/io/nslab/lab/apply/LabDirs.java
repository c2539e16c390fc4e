package io.nslab.lab.apply;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where nslab keeps the state of running labs: {@code /run/nslab/labs/LAB/}
 * (a tmpfs: gone at reboot, like the namespaces it describes). The root can be
 * moved with {@code NSLAB_RUN} (environment) for tests.
 */
public record LabDirs(Path root) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public static LabDirs system() {
        String env = System.getenv("NSLAB_RUN");
        return new LabDirs(Path.of(env == null || env.isBlank() ? "/run/nslab" : env));
    }

    /** Whether {@code lab} can name a lab directory (what {@link #lab} accepts). */
    public static boolean isLabName(String lab) {
        return lab != null && NAME.matcher(lab).matches();
    }

    public Path labs() { return root.resolve("labs"); }

    public Path lab(String lab) {
        if (!NAME.matcher(lab).matches()) throw new IllegalArgumentException("bad lab name '" + lab + "': letters, digits, '.', '_', '-' (at most 64)");
        return labs().resolve(lab);
    }
}
