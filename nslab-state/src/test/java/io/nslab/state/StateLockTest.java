package io.nslab.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One holder at a time, and a lock whose directory went away is not valid. */
class StateLockTest {
    @TempDir Path tmp;

    @Test
    void oneHolderAtATimeWithItsPid() throws Exception {
        try (StateDir d = StateDir.open(tmp.resolve("s"))) {
            Optional<StateLock> first = StateLock.tryAcquire(d, "lock");
            assertThat(first).isPresent();
            assertThat(first.get().valid()).isTrue();
            assertThat(StateLock.tryAcquire(d, "lock")).isEmpty();
            assertThat(StateLock.holder(d, "lock")).contains(Long.toString(ProcessHandle.current().pid()));
            first.get().close();
            try (StateLock again = StateLock.tryAcquire(d, "lock").orElseThrow()) {
                assertThat(again.valid()).isTrue();
            }
        }
    }

    @Test
    void aLockWhoseDirectoryWasDeletedIsNotValid() throws Exception {
        try (StateDir labs = StateDir.open(tmp.resolve("labs")); StateDir lab = labs.sub("l")) {
            try (StateLock held = StateLock.tryAcquire(lab, "lock").orElseThrow()) {
                // the holder deletes the directory, the lock file last, still holding the lock
                labs.deleteTree("l");
                assertThat(Files.exists(tmp.resolve("labs/l"))).isFalse();
                assertThat(held.valid()).isFalse();
            }
            // the directory is gone: a run still holding it open cannot make the lock file there
            assertThatThrownBy(() -> StateLock.tryAcquire(lab, "lock")).isInstanceOf(StateException.class)
                    .hasMessage(tmp.resolve("labs/l/lock") + ": cannot open: no such file or directory");
        }
    }
}
