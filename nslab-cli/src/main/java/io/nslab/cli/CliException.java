package io.nslab.cli;

/**
 * A problem reported to the user as one line on stderr ({@code nslab: MESSAGE})
 * with an exit status from {@link ExitCode}.
 */
public class CliException extends Exception {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A syntax or validation error: nothing was sent to the kernel. */
    public static CliException usage(String message) { return new CliException(ExitCode.USAGE, message); }

    /** An iproute2 line ip rejects with exit(-1) (unknown word, invalid value): {@link ExitCode#IP_INVALID}. */
    public static CliException invalid(String message) { return new CliException(ExitCode.IP_INVALID, message); }

    /** A request that the kernel or the system refused. */
    public static CliException failed(String message) { return new CliException(ExitCode.FAILED, message); }

    public int exitCode() { return exitCode; }

    /** The same problem with a context prefix ("file:line: "). */
    public CliException prefixed(String prefix) { return new CliException(exitCode, prefix + getMessage(), getCause()); }
}
