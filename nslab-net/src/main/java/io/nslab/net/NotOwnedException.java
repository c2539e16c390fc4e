package io.nslab.net;

/**
 * A link nslab was about to delete does not carry the mark of the network
 * that made it (see {@link io.nslab.state.Marker}): it is someone else's
 * link under that name, and it was left alone.
 */
public final class NotOwnedException extends NetException {
    public NotOwnedException(String message) {
        super(message);
    }
}
