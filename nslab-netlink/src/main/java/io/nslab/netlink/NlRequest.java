package io.nslab.netlink;

import java.util.Arrays;

/**
 * One request to send: message type, modifier flags (NLM_F_CREATE...;
 * REQUEST and ACK are added by the socket), the encoded body after the
 * netlink header, and a short description used in error messages.
 */
public record NlRequest(int type, int flags, byte[] body, String what) {
    public NlRequest {
        body = body.clone();
    }

    @Override public byte[] body() { return body.clone(); }

    int bodyLength() { return body.length; }

    byte[] bodyUnsafe() { return body; }

    /** The same request with {@code extra} flags added. */
    public NlRequest withFlags(int extra) { return new NlRequest(type, flags | extra, body, what); }

    @Override public boolean equals(Object o) {
        return o instanceof NlRequest r && r.type == type && r.flags == flags && Arrays.equals(r.body, body) && r.what.equals(what);
    }

    @Override public int hashCode() { return Arrays.hashCode(body) * 31 + type; }
}
