package io.nslab.junit;

/** A process run to its end in a node: its exit status and everything it wrote. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() { return exitCode == 0; }

    /** This result when the process exited 0, else an exception with its status and stderr. */
    public ExecResult orThrow() {
        if (!ok()) throw new IllegalStateException("exited " + exitCode + (stderr.isBlank() ? "" : ": " + stderr.strip()));
        return this;
    }
}
