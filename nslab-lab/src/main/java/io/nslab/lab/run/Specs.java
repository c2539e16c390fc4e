package io.nslab.lab.run;

import io.nslab.lab.model.Run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/** A process's identity across {@code up}s: what it runs and how, not where in the file it was written. */
final class Specs {
    private Specs() {}

    static String of(Run r) {
        StringBuilder sb = new StringBuilder();
        for (String a : r.cmd()) sb.append(a).append('\0');
        sb.append('\1').append(new TreeMap<>(r.env())).append('\1').append(r.workdir().orElse("")).append('\1').append(r.ready().word());
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How a process is shown in messages: node, place in the list, and the command. */
    static String label(String node, int index, Run r) {
        String cmd = String.join(" ", r.cmd());
        if (cmd.length() > 60) cmd = cmd.substring(0, 57) + "...";
        return "node " + node + " run[" + index + "] (" + cmd + ")";
    }
}
