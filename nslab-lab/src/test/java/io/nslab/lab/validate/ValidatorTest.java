package io.nslab.lab.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorTest {
    @Test
    void defaultLabIsValid() {
        Lab lab = Validator.defaultLab();
        assertThat(lab.name()).isEqualTo("s10");
        assertThat(Validator.validate(lab)).isEmpty();
    }

    @Test
    void findsEverythingAtOnce() {
        Report r = Validator.checkText("""
                name: t
                nodes:
                  a:
                    routes:
                      - {dst: default, via: 10.9.9.1}
                  b: {}
                links:
                  - ends: [{at: a:eth0, addresses: [10.0.0.1/24]}, {at: c:eth0, addresses: [10.0.1.2/24]}]
                  - ends: [{at: a:eth1, addresses: [10.0.0.1/24]}, {at: b:eth0, addresses: [10.0.0.2/24]}]
                expect:
                  - a reaches b
                  - a reaches zz
                """, "t.yaml");
        assertThat(r.ok()).isFalse();
        assertThat(r.problems()).extracting(Problem::message).anySatisfy(m -> assertThat(m).contains("unknown node 'c'"))
                .anySatisfy(m -> assertThat(m).contains("unknown node 'zz'"))
                .anySatisfy(m -> assertThat(m).contains("duplicate address 10.0.0.1"))
                .anySatisfy(m -> assertThat(m).contains("gateway 10.9.9.1 is not on a subnet"))
                .anySatisfy(m -> assertThat(m).contains("is outside the subnet of the other end"));
        assertThat(r.problems()).isSorted();
        assertThatThrownBy(r::orThrow).isInstanceOf(InvalidLabException.class).hasMessageContaining("t.yaml:5:");
    }

    @Test
    void goodSmallLab() {
        Report r = Validator.checkText("""
                name: ok
                nodes: {a: {serve: [tcp 22]}, b: }
                links:
                  - [{at: a:eth0, addresses: [10.0.0.1/24]}, {at: b:eth0, addresses: [10.0.0.2/24]}]
                expect: [a reaches b, b reaches a:eth0 tcp 22]
                """, "ok.yaml");
        assertThat(r.problems()).isEqualTo(List.of());
    }
}
