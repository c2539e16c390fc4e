package io.nslab.cli;

/** Every exit status nslab returns, in one place. */
public final class ExitCode {
    /** Success. */
    public static final int OK = 0;
    /** The command line or a batch line could not be parsed or failed validation; nothing was changed. */
    public static final int USAGE = 1;
    /** The kernel (or the system) refused a request, like iproute2's exit status 2. */
    public static final int FAILED = 2;
    /**
     * This machine lacks something nslab needs: a privilege (root, CAP_NET_ADMIN),
     * a kernel feature or module, a library, a directory it can write. The one
     * line names it and what to do.
     */
    public static final int ENVIRONMENT = 3;
    /**
     * An iproute2 command line that ip itself rejects with {@code exit(-1)}: an unknown command,
     * keyword or option, an invalid or duplicate value (ip's invarg/duparg/usage). ip's other
     * refusals keep ip's own status: 1 for what ip reports and returns -1 for (a device that does
     * not exist, a required argument missing, a malformed address), 2 for what the kernel refuses.
     */
    public static final int IP_INVALID = 255;
    /** An unexpected internal error (a bug): one line naming the file that holds the stack trace. */
    public static final int INTERNAL = 70;

    private ExitCode() {}
}
