package io.nslab.lab.apply;

import io.nslab.lab.plan.NsRef;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * closeKept (called before run: processes start, so that children do not copy the descriptors): nothing stays
 * kept, a handle leased at that moment stays usable until its lease ends, and a later lease opens it again.
 * Uses this process's own namespace only (no root needed).
 */
class NsHandlesTest {
    @Test void closeKeptEmptiesTheTableAndLeasesReopen() throws Exception {
        try (NsHandles handles = new NsHandles(4)) {
            try (NsHandles.Lease held = handles.lease(NsRef.HOST)) {
                assertThat(handles.kept()).isEqualTo(1);
                handles.closeKept();
                assertThat(handles.kept()).isZero();
                assertThat(held.ns().fd()).isNotNegative(); // leased: still open
            }
            try (NsHandles.Lease again = handles.lease(NsRef.HOST)) {
                assertThat(handles.kept()).isEqualTo(1);
            }
        }
    }
}
