package io.nslab.lab.run;

/** A {@code run:} process could not be started or did not become ready; the message says which and why. */
public final class RunException extends Exception {
    public RunException(String message) { super(message); }
    public RunException(String message, Throwable cause) { super(message, cause); }
}
