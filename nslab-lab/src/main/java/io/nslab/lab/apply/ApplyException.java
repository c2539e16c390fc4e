package io.nslab.lab.apply;

/** A step of {@code up} failed; what this run did was rolled back (the message says how far). */
public final class ApplyException extends Exception {
    public ApplyException(String message, Throwable cause) { super(message, cause); }
}
