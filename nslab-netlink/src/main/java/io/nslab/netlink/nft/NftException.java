package io.nslab.netlink.nft;

import java.io.IOException;

/**
 * libnftables refused a command. {@link #errorText()} is exactly what
 * libnftables wrote to its error buffer (for kernel refusals this includes the
 * errno text, e.g. {@code Error: Could not process rule: No such file or directory}).
 */
public class NftException extends IOException {
    private final String errorText;
    private final int rc;

    public NftException(String what, int rc, String errorText) {
        super(format(what, errorText));
        this.errorText = errorText == null ? "" : errorText;
        this.rc = rc;
    }

    private static String format(String what, String errorText) {
        String t = errorText == null ? "" : errorText.strip();
        return t.isEmpty() ? what + " failed" : what + " failed: " + t;
    }

    /** libnftables' error buffer, verbatim. */
    public String errorText() {
        return errorText;
    }

    /** {@code nft_run_cmd_from_buffer}'s return code. */
    public int rc() {
        return rc;
    }
}
