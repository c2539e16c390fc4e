package io.nslab.cli.run;

import io.nslab.cli.out.Detail;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Builds {@link Detail}s with iproute2 6.1's print helpers' forms (json_print.c): print_uint "WORD %u ",
 * print_int "%d", print_on_off "on"/"off" (a JSON boolean), print_0xhex "%#llx" (a JSON string), timers as
 * "%4i.%.2i" from USER_HZ ticks (utils.h __jiffies_to_tv; a bare JSON number).
 */
final class DetailFields {
    final List<Detail> list = new ArrayList<>();

    void add(Detail d) { list.add(d); }

    /** print_uint of an unsigned value up to 32 bits. */
    void u(String key, String word, OptionalInt v) {
        if (v.isPresent()) uint(key, word, Integer.toUnsignedLong(v.getAsInt()));
    }

    void uint(String key, String word, long v) {
        list.add(Detail.num(key, v, word + " " + Long.toUnsignedString(v) + " "));
    }

    /** print_int: a signed 32-bit value (ip prints a bridge port's u32 cost through it). */
    void s(String key, String word, OptionalInt v) {
        if (v.isPresent()) list.add(new Detail(key, new Detail.Num(Integer.toString(v.getAsInt())), word + " " + v.getAsInt() + " "));
    }

    /** print_lluint of a u64. */
    void ull(String key, String word, OptionalLong v) {
        if (v.isPresent()) list.add(Detail.num(key, v.getAsLong(), word + " " + Long.toUnsignedString(v.getAsLong()) + " "));
    }

    void onOff(String key, String word, OptionalInt v) {
        if (v.isPresent()) list.add(Detail.bool(key, v.getAsInt() != 0, word + " " + (v.getAsInt() != 0 ? "on" : "off") + " "));
    }

    void hex(String key, String word, long v) {
        list.add(Detail.str(key, hex(v), word + " " + hex(v) + " "));
    }

    /** C's "%#llx": no prefix for zero. */
    static String hex(long v) { return v == 0 ? "0" : "0x" + Long.toHexString(v); }

    void str(String key, String word, String v) {
        list.add(Detail.str(key, v, word + " " + v + " "));
    }

    void timer(String key, OptionalLong ticks) {
        if (ticks.isEmpty()) return;
        long usec = 10000L * ticks.getAsLong();
        int sec = (int) (usec / 1_000_000);
        int hundredths = (int) (usec - 1_000_000L * (usec / 1_000_000)) / 10000;
        list.add(new Detail(key, new Detail.Num(sec + "." + String.format("%02d", hundredths)),
                key + " " + String.format("%4d.%02d", sec, hundredths) + " "));
    }

    /** hexstring_n2a: the bytes in lower-case hex, nothing between them. */
    static String hexBytes(byte[] b) { return HexFormat.of().formatHex(b); }

    /** br_dump_bridge_id: "%.2x%.2x." then glibc's ether_ntoa_r, which does not pad ("8000.2:0:0:0:0:1"). */
    static String bridgeId(byte[] id) {
        if (id.length < 8) return "";
        StringBuilder sb = new StringBuilder(String.format("%02x%02x.", id[0] & 0xff, id[1] & 0xff));
        for (int i = 2; i < 8; i++) {
            if (i > 2) sb.append(':');
            sb.append(Integer.toHexString(id[i] & 0xff));
        }
        return sb.toString();
    }

    /** ll_addr_n2a for Ethernet: two hex digits a byte, colon-separated. */
    static String mac(byte[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            if (i > 0) sb.append(':');
            sb.append(String.format("%02x", a[i] & 0xff));
        }
        return sb.toString();
    }
}
