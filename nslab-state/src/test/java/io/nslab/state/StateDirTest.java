package io.nslab.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Verified state directories: modes, links, owners, atomic writes, size limits. */
class StateDirTest {
    @TempDir Path tmp;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void createsDirectoriesOwnerOnlyAndFilesOwnerReadWrite() throws Exception {
        Path root = tmp.resolve("run/labs");
        try (StateDir d = StateDir.open(root); StateDir lab = d.sub("l1")) {
            lab.write("lab.json", "{}".getBytes(StandardCharsets.UTF_8));
            lab.openForWriting("journal", true).close();
        }
        assertThat(mode(tmp.resolve("run"))).isEqualTo("rwx------");
        assertThat(mode(root)).isEqualTo("rwx------");
        assertThat(mode(root.resolve("l1"))).isEqualTo("rwx------");
        assertThat(mode(root.resolve("l1/lab.json"))).isEqualTo("rw-------");
        assertThat(mode(root.resolve("l1/journal"))).isEqualTo("rw-------");
        try (var s = Files.list(root.resolve("l1"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("journal", "lab.json");
        }
    }

    @Test
    void refusesAStateDirectoryThatIsALink() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("labs"), real);
        assertThatThrownBy(() -> StateDir.open(link)).isInstanceOf(StateException.class)
                .hasMessage(link + ": is a symbolic link; nslab never follows links in its state (remove it)");
        try (StateDir d = StateDir.open(tmp.resolve("ok"))) {
            Files.createSymbolicLink(d.path().resolve("sub"), real);
            assertThatThrownBy(() -> d.sub("sub")).hasMessageStartingWith(d.path().resolve("sub") + ": is a symbolic link");
        }
    }

    @Test
    void plantedFileLinksAreNeitherFollowedNorReplaced() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
        try (StateDir d = StateDir.open(tmp.resolve("state"))) {
            for (String name : new String[] {"lab.json", "journal", "lock"}) Files.createSymbolicLink(d.path().resolve(name), victim);
            assertThatThrownBy(() -> d.write("lab.json", new byte[] {1})).hasMessageContaining("lab.json: is a symbolic link");
            assertThatThrownBy(() -> d.openForWriting("journal", true)).hasMessageContaining("journal: is a symbolic link");
            assertThatThrownBy(() -> StateLock.tryAcquire(d, "lock")).hasMessageContaining("lock: is a symbolic link");
            assertThatThrownBy(() -> d.read("lab.json", 100)).hasMessageContaining("lab.json: is a symbolic link");
        }
        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(mode(victim)).isNotEqualTo("rw-------").isEqualTo(mode(victim));
    }

    @Test
    void refusesWritableByOthersUnlessAStickyParent() throws Exception {
        Path open = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> StateDir.open(open)).isInstanceOf(StateException.class)
                .hasMessage(open + ": is group- or world-writable (rwxrwxrwx); nslab's state must be writable by its owner only");
        // an ancestor world-writable without the sticky bit: others could rename nslab's directory away
        assertThatThrownBy(() -> StateDir.open(open.resolve("labs")))
                .hasMessageStartingWith(open + ": is group- or world-writable without the sticky bit");
        // /tmp-like (sticky): fine above the state
        Files.setAttribute(open, "unix:mode", 01777);
        try (StateDir d = StateDir.open(open.resolve("labs"))) {
            assertThat(mode(d.path())).isEqualTo("rwx------");
        }
        try (StateDir d = StateDir.open(tmp.resolve("s"))) {
            Files.writeString(d.path().resolve("net.json"), "{}");
            Files.setPosixFilePermissions(d.path().resolve("net.json"), PosixFilePermissions.fromString("rw-rw-rw-"));
            assertThatThrownBy(() -> d.read("net.json", 100)).hasMessageContaining("net.json: is group- or world-writable (rw-rw-rw-)");
        }
    }

    @Test
    void refusesFilesOfAnotherUser() throws Exception {
        assumeTrue(Owner.self().getName().equals("root"), "chown to another user needs root");
        var nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534");
        try (StateDir d = StateDir.open(tmp.resolve("s"))) {
            Path f = Files.writeString(d.path().resolve("journal"), "x\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            Files.setOwner(f, nobody);
            assertThatThrownBy(() -> d.openForWriting("journal", true)).isInstanceOf(StateException.class)
                    .hasMessageContaining("journal: is owned by nobody, not by root (the user nslab runs as)");
            Path sub = Files.createDirectory(d.path().resolve("lab"));
            Files.setOwner(sub, nobody);
            assertThatThrownBy(() -> d.sub("lab")).hasMessageContaining("lab: is owned by");
        }
    }

    @Test
    void writeReplacesAtomicallyAndReadHonoursTheLimit() throws Exception {
        try (StateDir d = StateDir.open(tmp.resolve("s"))) {
            d.write("a.json", "one".getBytes(StandardCharsets.UTF_8));
            d.write("a.json", "two!".getBytes(StandardCharsets.UTF_8));
            assertThat(d.read("a.json", 10)).map(String::new).contains("two!");
            assertThat(d.list()).containsExactly("a.json");
            assertThat(d.read("missing", 10)).isEmpty();
            assertThatThrownBy(() -> d.read("a.json", 3)).hasMessage(d.path().resolve("a.json") + ": is 4 bytes, more than the 3 nslab reads");
            Files.createDirectory(d.path().resolve("dir.json"));
            assertThatThrownBy(() -> d.read("dir.json", 3)).hasMessage(d.path().resolve("dir.json") + ": is a directory, not a file");
            d.sub("x").write("f", new byte[1]);
            d.deleteTree("x");
            assertThat(d.exists("x")).isFalse();
        }
    }
}
