package io.nslab.cli.cni;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code nslab cni install DIR} puts in DIR: an executable {@code nslab}
 * (a two-line shell script that starts {@link CniMain} on this JDK), nslab's
 * jar copied to {@code DIR/.nslab/} so that rebuilding or removing the
 * checkout does not break the runtime, and a JDK ahead-of-time cache trained
 * on every CNI command ({@link CniTraining}) that the script starts with.
 */
public final class CniInstall {
    /** The JVM options of both the training and every call: a cache is only used by a JVM started like the one that made it. */
    static final List<String> JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "--enable-native-access=ALL-UNNAMED", "-Xlog:aot*=off", "-Xlog:cds*=off");
    static final String HOME = ".nslab";

    private CniInstall() {}

    /** The result: the script's path and whether the start-up cache could be trained. */
    public record Installed(Path plugin, Path classPath, boolean cached) {}

    public static Installed install(Path dir, String classPath, Path javaHome, boolean train) throws IOException {
        return install(dir, classPath, javaHome, train, CniServer.DEFAULT_SOCKET);
    }

    /**
     * As {@link #install(Path, String, Path, boolean)}; the script hands the call to {@code nslab cni serve}
     * on {@code socket} when it listens there (and {@code nc} is installed), else starts a JVM.
     */
    public static Installed install(Path dir, String classPath, Path javaHome, boolean train, Path socket) throws IOException {
        Files.createDirectories(dir);
        Path home = dir.resolve(HOME);
        Files.createDirectories(home);
        Path cp = Path.of(classPath);
        if (!classPath.contains(":") && classPath.endsWith(".jar") && Files.isRegularFile(cp)) {
            Path jar = cp, copy = home.resolve("nslab.jar");
            atomically(copy, tmp -> Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING));
            cp = copy;
        }
        String classes = cp.toString();
        Path aot = home.resolve("cni.aot");
        Path java = javaHome.resolve("bin").resolve("java");
        boolean cached = false;
        Files.deleteIfExists(aot);
        if (train) cached = train(java, classes, aot);
        StringBuilder jvm = new StringBuilder(quote(java.toString()));
        for (String o : JVM) jvm.append(' ').append(quote(o));
        jvm.append(' ').append(quote("-XX:AOTCache=" + aot)).append(" -cp ").append(quote(classes)).append(' ').append(CniMain.class.getName());
        // the resident server, when it listens: the variables, an empty line, the config; its answer ends with #rc=N.
        // Without it (or when it does not answer), a JVM of its own.
        String s = "#!/bin/sh\n# nslab CNI plugin, made by `nslab cni install` (see docs/cni.md)\n"
                + "sock=" + quote(socket.toString()) + "\n"
                + "if [ -S \"$sock\" ] && command -v nc >/dev/null 2>&1; then\n"
                + "  cfg=$(cat)\n"
                + "  out=$({ env | grep -E '^(CNI|NSLAB)_'; echo; printf '%s\\n' \"$cfg\"; } | nc -N -U \"$sock\" 2>/dev/null)\n"
                + "  case \"$out\" in *'#rc='*) printf '%s' \"${out%#rc=*}\"; exit \"${out##*#rc=}\" ;; esac\n"
                + "  printf '%s\\n' \"$cfg\" | " + jvm + "\n"
                + "  exit $?\n"
                + "fi\n"
                + "exec " + jvm + "\n";
        Path plugin = dir.resolve("nslab");
        atomically(plugin, tmp -> {
            Files.writeString(tmp, s);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        });
        return new Installed(plugin, cp, cached);
    }

    private static boolean train(Path java, String classes, Path aot) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(JVM);
        cmd.addAll(List.of("-XX:AOTCacheOutput=" + aot, "-cp", classes, CniTraining.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
        return p.exitValue() == 0 && Files.isRegularFile(aot) && Files.size(aot) > 0;
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    private static void atomically(Path target, Writer w) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        w.write(tmp);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
