package io.nslab.lab.apply;

import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Step;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A fused port's master and up are journaled; a journal written before ports were fused still reads. */
class FusedPortJournalTest {
    @Test void masterAndUpGoThroughTheJournalAndOldLinesReadAsPlainLinks() throws Exception {
        Step fused = new Step.AddLink(NsRef.of("f.sw"), "p1", new LinkSpec.Veth("eth0", NsRef.of("f.a")), Optional.of("br0"), true);
        String line = Journal.JSON.writeValueAsString(fused);
        assertThat(Journal.JSON.readValue(line, Step.class)).isEqualTo(fused);
        String old = line.replace(",\"master\":\"br0\"", "").replace(",\"up\":true", "");
        assertThat(old).doesNotContain("master").doesNotContain("\"up\"");
        assertThat(Journal.JSON.readValue(old, Step.class))
                .isEqualTo(new Step.AddLink(NsRef.of("f.sw"), "p1", new LinkSpec.Veth("eth0", NsRef.of("f.a"))));
    }
}
