package io.nslab.lab.model;

import java.util.Locale;
import java.util.regex.Pattern;

/** An Ethernet address, kept in the lower-case colon form {@code 02:42:ac:11:00:02}. */
public record Mac(String text) {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    public Mac {
        text = text.toLowerCase(Locale.ROOT);
        if (!FORM.matcher(text).matches())
            throw new IllegalArgumentException("bad MAC address '" + text + "': expected six hex pairs like 02:42:ac:11:00:02");
    }

    public static Mac parse(String s) {
        return new Mac(s.strip());
    }

    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) b[i] = (byte) Integer.parseInt(text.substring(i * 3, i * 3 + 2), 16);
        return b;
    }

    /** Multicast bit set (the first octet is odd): not usable for an interface. */
    public boolean multicast() {
        return (bytes()[0] & 1) != 0;
    }

    @Override
    public String toString() {
        return text;
    }
}
