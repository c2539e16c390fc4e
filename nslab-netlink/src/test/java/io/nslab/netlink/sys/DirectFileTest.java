package io.nslab.netlink.sys;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** No kernel feature beyond files: runs without root. */
class DirectFileTest {
    /** Gathering writes of heap and direct buffers of every size, across chunk borders: the file is those bytes. */
    @Test void theFileHoldsEveryByteInOrder(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("x.bin");
        Random r = new Random(7);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DirectFile d = DirectFile.create(f)) {
            if (Files.getFileStore(dir).type().equals("ext4")) assertThat(d.isDirect()).isTrue();
            while (expected.size() < 5 * DirectFile.CHUNK + 12_345) {
                List<ByteBuffer> batch = new ArrayList<>();
                for (int i = 0, n = 1 + r.nextInt(6); i < n; i++) {
                    byte[] b = new byte[r.nextInt(3) == 0 ? r.nextInt(300_000) : r.nextInt(2000)];
                    r.nextBytes(b);
                    expected.write(b);
                    ByteBuffer bb = r.nextBoolean() ? ByteBuffer.wrap(b) : ByteBuffer.allocateDirect(b.length).put(b).flip();
                    batch.add(bb);
                }
                ByteBuffer[] a = batch.toArray(ByteBuffer[]::new);
                long want = batch.stream().mapToLong(ByteBuffer::remaining).sum();
                assertThat(d.write(a, 0, a.length)).isEqualTo(want);
                assertThat(batch).allMatch(b -> !b.hasRemaining());
            }
        }
        assertThat(Files.readAllBytes(f)).isEqualTo(expected.toByteArray());
    }

    /** A slow stream: what was written is in the file once the writer has been idle, before close. */
    @Test void anIdleWritersBytesReachTheFileBeforeClose(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("slow.bin");
        try (DirectFile d = DirectFile.create(f)) {
            d.write(ByteBuffer.wrap("first".getBytes()));
            awaitSize(f, 5);
            d.write(ByteBuffer.wrap(" second".getBytes()));
            awaitSize(f, 12);
            assertThat(Files.readString(f)).isEqualTo("first second");
            d.write(ByteBuffer.allocate(DirectFile.CHUNK));           // fills the first chunk: written direct over the bytes shown
        }
        byte[] all = Files.readAllBytes(f);
        assertThat(all).hasSize(12 + DirectFile.CHUNK);
        assertThat(new String(all, 0, 12)).isEqualTo("first second");
    }

    @Test void errorsNameTheFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> DirectFile.create(dir.resolve("no/such/x"))).isInstanceOf(NoSuchFileException.class)
                .hasMessage(dir.resolve("no/such/x").toString());
        assertThatThrownBy(() -> DirectFile.create(dir)).isInstanceOf(FileSystemException.class)
                .hasMessage(dir + ": Is a directory");
        DirectFile d = DirectFile.create(dir.resolve("closed"));
        d.close();
        d.close();
        assertThat(d.isOpen()).isFalse();
        assertThatThrownBy(() -> d.write(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
    }

    @Test void truncatesAnExistingFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("old");
        Files.writeString(f, "a much longer old content");
        try (DirectFile d = DirectFile.create(f)) {
            d.write(ByteBuffer.wrap("new".getBytes()));
        }
        assertThat(Files.readString(f)).isEqualTo("new");
    }

    private static void awaitSize(Path f, long size) throws Exception {
        long until = System.nanoTime() + 5_000_000_000L;
        while (Files.size(f) < size && System.nanoTime() < until) Thread.sleep(20);
        assertThat(Files.size(f)).isEqualTo(size);
    }
}
