package io.nslab.lab.apply;

/** Another nslab run holds the lab's lock. */
public final class LabBusyException extends RuntimeException {
    public LabBusyException(String message) { super(message); }
}
