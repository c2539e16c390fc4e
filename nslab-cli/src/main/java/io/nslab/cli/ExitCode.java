package io.nslab.cli;

/** Every exit status nslab returns, in one place. */
public final class ExitCode {
    /** Success. */
    public static final int OK = 0;
    /** The command line or a batch line could not be parsed or failed validation; nothing was changed. */
    public static final int USAGE = 1;
    /** The kernel (or the system) refused a request, like iproute2's exit status 2. */
    public static final int FAILED = 2;
    /** An unexpected internal error (a bug): the stack trace goes to stderr. */
    public static final int INTERNAL = 70;

    private ExitCode() {}
}
