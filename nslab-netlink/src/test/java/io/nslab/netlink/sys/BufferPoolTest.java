package io.nslab.netlink.sys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BufferPoolTest {
    @Test void aBufferHandedBackIsTheNextOneTaken() {
        BufferPool pool = new BufferPool(4096, 2);
        MemorySegment a = pool.take();
        assertThat(a.byteSize()).isEqualTo(4096);
        pool.give(a);
        assertThat(pool.take().address()).isEqualTo(a.address());
    }

    @Test void keepsNoMoreThanItsLimitAndNoOtherSize() {
        BufferPool pool = new BufferPool(1024, 2);
        MemorySegment a = pool.take(), b = pool.take(), c = pool.take();
        pool.give(a);
        pool.give(b);
        pool.give(c);                                    // over the limit: left to the collector
        pool.give(Arena.ofAuto().allocate(2048));        // a grown buffer: not this pool's
        MemorySegment x = pool.take(), y = pool.take(), z = pool.take();
        assertThat(Set.of(x.address(), y.address())).containsExactlyInAnyOrder(a.address(), b.address());
        assertThat(z.address()).isNotIn(a.address(), b.address(), c.address());
        assertThat(z.byteSize()).isEqualTo(1024);
    }
}
