package io.nslab.cli.out;

import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.nslab.cli.out.LinkStats.*;

/**
 * {@code -s} / {@code -s -s} counters as ip 6.1 prints them (ipaddress.c's print_stats64): text columns
 * sized to the widest number, or ip -j's {@code stats64} object.
 */
final class StatsText {
    private StatsText() {}

    /** The RX/TX lines, each ending in "\n" ({@code level} 2 adds the error lines). */
    static String text(LinkStats s, int level) {
        long cc = s.carrierChanges().orElse(0);
        // widths of "*X errors:", "packets", "errors", "dropped", "heartbt", "overrun", "compressed", "otherhost"
        int[] cols = {10, 7, 6, 7, 7, 7, 10, 9};
        size(cols, s.get(RX_BYTES), s.get(RX_PACKETS), s.get(RX_ERRORS), s.get(RX_DROPPED), s.get(RX_MISSED),
                s.get(MULTICAST), s.get(RX_COMPRESSED), 0);
        if (level > 1) size(cols, 0, s.get(RX_LENGTH), s.get(RX_CRC), s.get(RX_FRAME), s.get(RX_FIFO), s.get(RX_OVER),
                s.get(RX_NOHANDLER), s.get(RX_OTHERHOST));
        size(cols, s.get(TX_BYTES), s.get(TX_PACKETS), s.get(TX_ERRORS), s.get(TX_DROPPED), s.get(TX_CARRIER),
                s.get(COLLISIONS), s.get(TX_COMPRESSED), 0);
        // ip sizes the TX error columns one place to the right of where it prints them; kept as ip does
        if (level > 1) size(cols, 0, 0, s.get(TX_ABORTED), s.get(TX_FIFO), s.get(TX_WINDOW), s.get(TX_HEARTBEAT), cc, 0);
        StringBuilder b = new StringBuilder();
        counters(b, cols, "RX", "missed", "mcast", s.get(RX_COMPRESSED), s.get(RX_BYTES), s.get(RX_PACKETS), s.get(RX_ERRORS),
                s.get(RX_DROPPED), s.get(RX_MISSED), s.get(MULTICAST));
        if (level > 1) {
            b.append('\n');
            b.append("    RX errors:").append(pad(cols[0] - 10, "")).append(' ').append(pad(cols[1], "length")).append(' ')
                    .append(pad(cols[2], "crc")).append(' ').append(pad(cols[3], "frame")).append(' ')
                    .append(pad(cols[4], "fifo")).append(' ').append(pad(cols[5], "overrun"))
                    .append(s.get(RX_NOHANDLER) != 0 ? pad(cols[6] + 1, " nohandler") : "")
                    .append(s.get(RX_OTHERHOST) != 0 ? pad(cols[7] + 1, " otherhost") : "").append('\n');
            b.append(pad(cols[0] + 5, ""));
            nums(b, cols, 1, s.get(RX_LENGTH), s.get(RX_CRC), s.get(RX_FRAME), s.get(RX_FIFO), s.get(RX_OVER));
            if (s.get(RX_NOHANDLER) != 0) nums(b, cols, 6, s.get(RX_NOHANDLER));
            if (s.get(RX_OTHERHOST) != 0) nums(b, cols, 7, s.get(RX_OTHERHOST));
        }
        b.append('\n');
        counters(b, cols, "TX", "carrier", "collsns", s.get(TX_COMPRESSED), s.get(TX_BYTES), s.get(TX_PACKETS), s.get(TX_ERRORS),
                s.get(TX_DROPPED), s.get(TX_CARRIER), s.get(COLLISIONS));
        if (level > 1) {
            b.append('\n');
            b.append("    TX errors:").append(pad(cols[0] - 10, "")).append(' ').append(pad(cols[1], "aborted")).append(' ')
                    .append(pad(cols[2], "fifo")).append(' ').append(pad(cols[3], "window")).append(' ')
                    .append(pad(cols[4], "heartbt")).append(' ').append(pad(cols[5], s.carrierChanges().isPresent() ? "transns" : ""))
                    .append('\n');
            b.append(pad(cols[0] + 5, ""));
            nums(b, cols, 1, s.get(TX_ABORTED), s.get(TX_FIFO), s.get(TX_WINDOW), s.get(TX_HEARTBEAT));
            if (s.carrierChanges().isPresent()) nums(b, cols, 5, cc);
        }
        return b.append('\n').toString();
    }

    /** ip -j's "stats64": rx and tx, with the error counters at level 2; compressed/nohandler/otherhost only when not 0. */
    static void json(ObjectNode link, LinkStats s, int level) {
        ObjectNode o = link.putObject("stats64");
        ObjectNode rx = o.putObject("rx");
        rx.put("bytes", s.get(RX_BYTES)).put("packets", s.get(RX_PACKETS)).put("errors", s.get(RX_ERRORS))
                .put("dropped", s.get(RX_DROPPED)).put("over_errors", s.get(RX_OVER)).put("multicast", s.get(MULTICAST));
        if (s.get(RX_COMPRESSED) != 0) rx.put("compressed", s.get(RX_COMPRESSED));
        if (level > 1) {
            rx.put("length_errors", s.get(RX_LENGTH)).put("crc_errors", s.get(RX_CRC)).put("frame_errors", s.get(RX_FRAME))
                    .put("fifo_errors", s.get(RX_FIFO)).put("missed_errors", s.get(RX_MISSED));
            if (s.get(RX_NOHANDLER) != 0) rx.put("nohandler", s.get(RX_NOHANDLER));
            if (s.get(RX_OTHERHOST) != 0) rx.put("otherhost", s.get(RX_OTHERHOST));
        }
        ObjectNode tx = o.putObject("tx");
        tx.put("bytes", s.get(TX_BYTES)).put("packets", s.get(TX_PACKETS)).put("errors", s.get(TX_ERRORS))
                .put("dropped", s.get(TX_DROPPED)).put("carrier_errors", s.get(TX_CARRIER)).put("collisions", s.get(COLLISIONS));
        if (s.get(TX_COMPRESSED) != 0) tx.put("compressed", s.get(TX_COMPRESSED));
        if (level > 1) {
            tx.put("aborted_errors", s.get(TX_ABORTED)).put("fifo_errors", s.get(TX_FIFO)).put("window_errors", s.get(TX_WINDOW))
                    .put("heartbeat_errors", s.get(TX_HEARTBEAT));
            s.carrierChanges().ifPresent(c -> tx.put("carrier_changes", c));
        }
    }

    /** One direction's header ("    RX:  bytes packets ...") and its six counters (and compressed when not 0). */
    private static void counters(StringBuilder b, int[] cols, String dir, String col4, String col5, long compressed, long... v) {
        b.append("    ").append(dir).append(": ").append(pad(cols[0] - 4, "bytes")).append(' ').append(pad(cols[1], "packets")).append(' ')
                .append(pad(cols[2], "errors")).append(' ').append(pad(cols[3], "dropped")).append(' ')
                .append(pad(cols[4], col4)).append(' ').append(pad(cols[5], col5)).append(' ')
                .append(pad(cols[6], compressed != 0 ? "compressed" : "")).append('\n');
        b.append("    ");
        nums(b, cols, 0, v);
        if (compressed != 0) nums(b, cols, 6, compressed);
    }

    /** size_columns: widen each column to its value's digits. */
    private static void size(int[] cols, long... v) {
        for (int i = 0; i < v.length; i++) cols[i] = Math.max(cols[i], Long.toUnsignedString(v[i]).length());
    }

    /** print_num: each value right-aligned in its column, then a space. */
    private static void nums(StringBuilder b, int[] cols, int first, long... v) {
        for (int i = 0; i < v.length; i++) b.append(pad(cols[first + i], Long.toUnsignedString(v[i]))).append(' ');
    }

    /** printf's "%*s": right-aligned in {@code width} (no padding for a wider text or a width under 1). */
    private static String pad(int width, String s) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
