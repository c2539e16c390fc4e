package io.nslab.net;

/**
 * A network operation that was refused or failed, with one line naming the
 * problem and the object ({@code net connect web nginx: 172.17.0.5 is already in use by gitlab}).
 * When it is thrown, whatever the call had changed has been rolled back.
 */
public class NetException extends Exception {
    public NetException(String message) {
        super(message);
    }

    public NetException(String message, Throwable cause) {
        super(message, cause);
    }
}
