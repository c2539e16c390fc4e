package io.nslab.cli.ip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * User and group names to ids, as ip tuntap's getpwnam/getgrnam find them for local accounts:
 * the name field of /etc/passwd or /etc/group, the id in the third field.
 */
final class Accounts {
    private Accounts() {}

    static OptionalInt uid(String name) { return lookup(Path.of("/etc/passwd"), name); }

    static OptionalInt gid(String name) { return lookup(Path.of("/etc/group"), name); }

    static OptionalInt lookup(Path file, String name) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[0].equals(name)) return OptionalInt.of(Integer.parseInt(f[2]));
            }
        } catch (IOException | NumberFormatException e) {
            // unreadable or malformed: the name is not known
        }
        return OptionalInt.empty();
    }
}
