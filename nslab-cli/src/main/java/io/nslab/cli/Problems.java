package io.nslab.cli;

import io.nslab.netlink.route.LinkKindMissingException;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * How a failure reaches the user: always one line on stderr. A problem of the
 * machine (a privilege, a kernel feature or module, a library, a file nslab
 * cannot read or write) names what is missing and what to do, with
 * {@link ExitCode#ENVIRONMENT}; only a real bug is an internal error, and its
 * stack trace goes to a crash file (mode 0600) that the line names.
 */
public final class Problems {
    private Problems() {}

    /** Linux capability numbers (capability.h). */
    private static final int CAP_NET_ADMIN = 12, CAP_SYS_ADMIN = 21;

    /** Prints a {@link CliException} as its one line; a refusal for want of a privilege becomes an environment error that says so. */
    public static int report(CliException e, PrintWriter err) {
        CliException c = withPrivilegeHint(e);
        err.println("nslab: " + oneLine(c.getMessage()));
        err.flush();
        return c.exitCode();
    }

    /** An exception that escaped a command: an environment problem (one line) or a bug (one line naming the crash file). */
    public static int report(Throwable t, String[] args, PrintWriter err) {
        if (t instanceof CliException c) return report(c, err);
        Optional<CliException> env = environment(t);
        if (env.isPresent()) return report(env.get(), err);
        String where;
        try {
            where = "the stack trace is in " + writeCrash(t, args);
        } catch (IOException | RuntimeException io) {
            where = "could not write the stack trace to a file (" + io.getMessage() + "); it follows";
            err.println("nslab: internal error (a bug): " + oneLine(String.valueOf(t)) + "; " + where);
            t.printStackTrace(err);
            err.flush();
            return ExitCode.INTERNAL;
        }
        err.println("nslab: internal error (a bug): " + oneLine(String.valueOf(t)) + "; " + where + " (please report it)");
        err.flush();
        return ExitCode.INTERNAL;
    }

    /**
     * The problem of the machine behind {@code t}, if that is what it is:
     * missing privilege, kernel support or library, or a file or directory
     * that cannot be used. Empty for anything else (a bug).
     */
    public static Optional<CliException> environment(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof LinkKindMissingException m) return Optional.of(env(m.getMessage()));
            if (c instanceof ErrnoException e) {
                if (e.is(Errno.EPERM) || e.is(Errno.EACCES)) return Optional.of(env(e.getMessage() + privilegeHint()));
                if (e.is(Errno.EAFNOSUPPORT) || e.is(Errno.EPROTONOSUPPORT) || e.is(Errno.ENOPROTOOPT))
                    return Optional.of(env(e.getMessage() + " (the kernel lacks this protocol: a module not loaded or not built in)"));
                return Optional.of(env(e.getMessage()));
            }
            if (c instanceof AccessDeniedException a)
                return Optional.of(env(a.getFile() + ": permission denied" + privilegeHint()));
            if (c instanceof java.nio.file.InvalidPathException ip)
                return Optional.of(CliException.usage("invalid path \"" + oneLine(ip.getInput()) + "\": " + ip.getReason()));
            if (c instanceof CharacterCodingException)
                return Optional.of(CliException.usage("input is not UTF-8 text"));
            if (c instanceof FileSystemException f)
                return Optional.of(env(oneLine(f.getFile()) + ": " + Optional.ofNullable(f.getReason()).orElse(
                        f instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                        : f instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                        : f instanceof java.nio.file.NotDirectoryException ? "not a directory"
                        : f.getClass().getSimpleName())));
            if (c instanceof UnsatisfiedLinkError
                    || (c instanceof IllegalArgumentException && String.valueOf(c.getMessage()).startsWith("Cannot open library")))
                return Optional.of(env("cannot load a native library: " + c.getMessage() + " (install the package that provides it)"));
            if (c instanceof IOException io && !(c.getCause() instanceof RuntimeException))
                return Optional.of(env(String.valueOf(io.getMessage())));
            if (c instanceof UncheckedIOException) continue;
        }
        return Optional.empty();
    }

    private static CliException env(String message) {
        return new CliException(ExitCode.ENVIRONMENT, message);
    }

    /** "Operation not permitted" from the kernel without the capabilities nslab needs: say which and what to do. */
    private static CliException withPrivilegeHint(CliException e) {
        String m = String.valueOf(e.getMessage());
        if (e.exitCode() != ExitCode.FAILED || m.contains("(run nslab as root")) return e;
        if (!(m.contains("Operation not permitted") || m.contains("Permission denied"))) return e;
        String hint = privilegeHint();
        return hint.isEmpty() ? e : new CliException(ExitCode.ENVIRONMENT, m + hint, e.getCause());
    }

    /** " (this process lacks CAP_...: run nslab as root, e.g. with sudo)", or "" when it has what nslab needs. */
    static String privilegeHint() {
        long caps = effectiveCapabilities();
        String missing = ((caps >> CAP_NET_ADMIN) & 1) == 0 && ((caps >> CAP_SYS_ADMIN) & 1) == 0 ? "CAP_NET_ADMIN and CAP_SYS_ADMIN"
                : ((caps >> CAP_NET_ADMIN) & 1) == 0 ? "CAP_NET_ADMIN"
                : ((caps >> CAP_SYS_ADMIN) & 1) == 0 ? "CAP_SYS_ADMIN" : "";
        return missing.isEmpty() ? "" : " (this process lacks " + missing + ": run nslab as root, e.g. with sudo)";
    }

    /** CapEff from /proc/self/status; all bits set when it cannot be read (then no hint is given). */
    private static long effectiveCapabilities() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("CapEff:")) return Long.parseUnsignedLong(l.substring(7).strip(), 16);
            }
        } catch (IOException | RuntimeException e) {
            // no hint
        }
        return -1L;
    }

    /**
     * Writes the trace to {@code java.io.tmpdir/nslab-crash-TIME-PID.txt},
     * created new (never through an existing file or link) with mode 0600.
     */
    static Path writeCrash(Throwable t, String[] args) throws IOException {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String base = "nslab-crash-" + time + "-" + ProcessHandle.current().pid();
        StringWriter s = new StringWriter();
        try (PrintWriter w = new PrintWriter(s)) {
            w.println("nslab internal error");
            w.println("arguments: " + String.join(" ", args == null ? new String[0] : args));
            w.println("java: " + System.getProperty("java.version") + " " + System.getProperty("java.home"));
            t.printStackTrace(w);
        }
        Path f = null;
        for (int i = 0; f == null; i++) {
            Path c = Path.of(System.getProperty("java.io.tmpdir", "/tmp"), base + (i == 0 ? "" : "-" + i) + ".txt");
            try {
                Files.createFile(c, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                f = c;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (i >= 100) throw e;
            }
        }
        Files.writeString(f, s.toString(), StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return f;
    }

    /** Control characters (a newline in an argument) shown escaped, so the message stays one line. */
    public static String oneLine(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\n') b.append("\\n");
            else if (ch == '\r') b.append("\\r");
            else if (ch == '\t') b.append("\\t");
            else if (Character.isISOControl(ch)) b.append(String.format("\\x%02x", (int) ch));
            else b.append(ch);
        }
        return b.toString();
    }
}
