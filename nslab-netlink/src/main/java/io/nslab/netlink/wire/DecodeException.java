package io.nslab.netlink.wire;

/** A malformed netlink message; kept apart from kernel errors (errno). */
public final class DecodeException extends RuntimeException {
    private final int offset;

    public DecodeException(String message, int offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    /**
     * Where the problem is: an index into the datagram for message framing,
     * into the message payload (after nlmsghdr) for attributes, nested ones included.
     */
    public int offset() { return offset; }
}
