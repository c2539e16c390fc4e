package io.nslab.net;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static io.nslab.net.NetEngine.ConnectRequest;
import static io.nslab.net.NetEngine.CreateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store as an attacker or a crash would leave it (issue 17): a bad
 * network file affects only its network, links are never followed, a
 * journal that does not check is never acted on.
 */
class NetStoreTrustTest {
    @TempDir Path tmp;
    Path dir;
    FakeKernel kernel;
    NetEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        dir = tmp.resolve("networks");
        kernel = new FakeKernel();
        kernel.namespaces.addAll(List.of("a", "b"));
        engine = new NetEngine(new NetStore(dir), kernel);
        engine.create(CreateRequest.of("good", "10.1.0.0/24"));
    }

    @Test
    void theStoreIsOwnerOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("good.json")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".lock")))).isEqualTo("rw-------");
    }

    @Test
    void aBadNetworkFileAffectsOnlyItsNetworkNamingFileAndField() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{}");
        Files.setPosixFilePermissions(dir.resolve("bad.json"), PosixFilePermissions.fromString("rw-------"));
        assertThat(engine.list()).extracting(Network::name).containsExactly("good");
        assertThat(engine.store().problems()).containsExactly("network bad: " + dir.resolve("bad.json") + ": field 'name' is missing");
        engine.connect(ConnectRequest.of("good", "a"));
        engine.create(CreateRequest.of("other", "10.2.0.0/24"));
        assertThatThrownBy(() -> engine.connect(ConnectRequest.of("bad", "b"))).isInstanceOf(NetException.class)
                .hasMessage("network bad: " + dir.resolve("bad.json") + ": field 'name' is missing");

        String good = Files.readString(dir.resolve("good.json"));
        Files.writeString(dir.resolve("bad.json"), good.replace("\"good\"", "\"bad\"").replace("\"10.1.0.1\"", "\"ten\""));
        assertThat(engine.store().problems()).containsExactly("network bad: " + dir.resolve("bad.json")
                + ": field 'gateway': invalid prefix \"ten\": \"ten\" is not an IPv4 address");
        Files.writeString(dir.resolve("bad.json"), "\u0000\u0001binary");
        assertThat(engine.store().problems().getFirst()).startsWith("network bad: " + dir.resolve("bad.json") + ": not JSON (");
        Files.delete(dir.resolve("bad.json"));
        Files.createDirectory(dir.resolve("bad.json"));
        assertThat(engine.store().problems()).containsExactly("network bad: " + dir.resolve("bad.json") + ": is a directory, not a file");
        assertThat(engine.list()).extracting(Network::name).containsExactly("good", "other");
    }

    @Test
    void plantedLinksAreNeverFollowed() throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
        Files.delete(dir.resolve("good.json"));
        Files.createSymbolicLink(dir.resolve("good.json"), victim);
        assertThatThrownBy(() -> engine.connect(ConnectRequest.of("good", "a")))
                .hasMessage("network good: " + dir.resolve("good.json") + ": is a symbolic link; nslab never follows links in its state (remove it)");
        Files.createSymbolicLink(dir.resolve("web.journal"), victim);
        assertThatThrownBy(() -> engine.create(CreateRequest.of("web", "10.3.0.0/24")))
                .hasMessageContaining(dir.resolve("web.journal") + ": is a symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("precious\n");

        Path store = tmp.resolve("linked");
        Files.createSymbolicLink(store, dir);
        assertThatThrownBy(() -> new NetEngine(new NetStore(store), kernel).list())
                .hasMessage("network store: " + store + ": is a symbolic link; nslab never follows links in its state (remove it)");
    }

    @Test
    void aJournalThatDoesNotCheckIsNotActedOnAndStopsOnlyItsNetwork() throws Exception {
        engine.create(CreateRequest.of("other", "10.2.0.0/24"));
        Files.writeString(dir.resolve("good.journal"), "{\"op\":\"rm\",\"network\":\"good\",\"step\":\"remove\",\"hostNs\":null}\n");
        Files.setPosixFilePermissions(dir.resolve("good.journal"), PosixFilePermissions.fromString("rw-------"));
        // a command on that network: refused naming the file and the line, nothing acted on
        for (var call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> engine.connect(ConnectRequest.of("good", "a")), () -> engine.disconnect("good", "a"),
                () -> engine.remove("good", true), () -> engine.inspect("good")))
            assertThatThrownBy(call).isInstanceOf(NetException.class)
                    .hasMessageContaining(dir.resolve("good.journal") + ":1: not a journal record (no checksum)")
                    .hasMessageContaining("nothing of it was acted on");
        assertThat(Files.exists(dir.resolve("good.json"))).isTrue();
        assertThat(kernel.links.values().stream().flatMap(s -> s.stream()).toList()).contains("nsl-good");
        // every other network keeps working, and the journal stays for a human
        engine.connect(ConnectRequest.of("other", "a"));
        engine.disconnect("other", "a");
        engine.create(CreateRequest.of("third", "10.3.0.0/24"));
        engine.remove("third", false);
        assertThat(engine.list()).extracting(Network::name).containsExactly("good", "other");
        assertThat(Files.exists(dir.resolve("good.journal"))).isTrue();
    }
}
