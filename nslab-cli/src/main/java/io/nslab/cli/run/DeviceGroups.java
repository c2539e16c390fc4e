package io.nslab.cli.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Device group names as ip prints them (rt_names.c's group table): 0 is "default" unless
 * /etc/iproute2/group says otherwise, a group the file does not name prints as its number.
 */
final class DeviceGroups {
    private DeviceGroups() {}

    static final Path FILE = Path.of("/etc/iproute2/group");

    private static final class Table {
        static final Map<Integer, String> NAMES = read(FILE);
    }

    static String name(int id) {
        return Table.NAMES.getOrDefault(id, Integer.toUnsignedString(id));
    }

    /** "ID NAME" lines, '#' comments; ip reads the same words and skips lines it cannot parse. */
    static Map<Integer, String> read(Path file) {
        Map<Integer, String> names = new HashMap<>();
        names.put(0, "default");
        try {
            for (String line : Files.readAllLines(file)) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#")) continue;
                String[] w = s.split("\\s+");
                if (w.length < 2) continue;
                try {
                    int id = w[0].startsWith("0x") ? Integer.parseUnsignedInt(w[0].substring(2), 16) : Integer.parseUnsignedInt(w[0]);
                    names.put(id, w[1]);
                } catch (NumberFormatException e) {
                    // ip skips such a line too
                }
            }
        } catch (IOException e) {
            // no file: ip knows only "default"
        }
        return names;
    }
}
