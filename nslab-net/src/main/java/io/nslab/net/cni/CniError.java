package io.nslab.net.cni;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failed CNI call as the spec's error result: {@code code}, {@code msg}
 * (one line naming the field or the thing at fault) and optional
 * {@code details}. The codes are the spec's well-known ones.
 */
public final class CniError extends Exception {
    /** Incompatible CNI version. */
    public static final int INCOMPATIBLE_VERSION = 1;
    /** Unsupported field in the network configuration (the message names key and value). */
    public static final int UNSUPPORTED_FIELD = 2;
    /** Container unknown or does not exist. */
    public static final int UNKNOWN_CONTAINER = 3;
    /** Invalid necessary environment variables (CNI_COMMAND, CNI_CONTAINERID, ...). */
    public static final int INVALID_ENVIRONMENT = 4;
    /** I/O failure (stdin, the address store). */
    public static final int IO_FAILURE = 5;
    /** Failed to decode content (malformed JSON). */
    public static final int DECODING_FAILURE = 6;
    /** Invalid network configuration. */
    public static final int INVALID_CONFIG = 7;
    /** Try again later (the address store is busy). */
    public static final int TRY_AGAIN_LATER = 11;
    /** STATUS: the plugin cannot serve ADD requests now. */
    public static final int NOT_AVAILABLE = 50;
    /** Anything else (kernel refusals, no free address). */
    public static final int OTHER = 999;

    private final int code;
    private final String details;

    public CniError(int code, String msg) {
        this(code, msg, "");
    }

    public CniError(int code, String msg, String details) {
        super(msg);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    public CniError(int code, String msg, Throwable cause) {
        super(msg, cause);
        this.code = code;
        this.details = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }

    /** The error result printed on stdout. */
    public ObjectNode toJson(String cniVersion) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("cniVersion", cniVersion);
        o.put("code", code);
        o.put("msg", getMessage());
        if (!details.isEmpty()) o.put("details", details);
        return o;
    }
}
