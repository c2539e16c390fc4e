package io.nslab.lab.validate;

import io.nslab.lab.model.KernelLimits;
import io.nslab.lab.model.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kernel limit a lab file can hit is refused by validate with its place (file:line:column) before anything
 * changes, the bound taken from {@link KernelLimits}; a value just inside the bound passes.
 */
class KernelLimitsTest {
    static final String BASE = """
            name: lim
            nodes:
              a:
                interfaces:
                  x: %s
              b: {}
            links:
              - ends: [{at: a:eth0, addresses: [10.0.0.1/24]}, {at: b:eth0, addresses: [10.0.0.2/24]}]
            """;

    static List<Problem> problems(String iface) {
        return Validator.checkText(BASE.formatted(iface), "lim.yaml").problems();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {kind: vxlan, vni: 16777216, dstport: 4789, local: 10.0.0.1}          | {kind: vxlan, vni: 16777215, dstport: 4789, local: 10.0.0.1}    | lim.yaml:5:| vni
            {kind: vxlan, vni: 5, dstport: 65536, local: 10.0.0.1}                 | {kind: vxlan, vni: 5, dstport: 65535, local: 10.0.0.1}           | lim.yaml:5:| dstport
            {kind: vlan, parent: eth0, id: 4095}                                   | {kind: vlan, parent: eth0, id: 4094}                             | lim.yaml:5:| VLAN id
            {kind: vlan, parent: eth0, id: 0}                                      | {kind: vlan, parent: eth0, id: 1}                                | lim.yaml:5:| VLAN id
            {kind: bridge, mtu: 67}                                                | {kind: bridge, mtu: 68}                                          | lim.yaml:5:| MTU
            {kind: bridge, mtu: 65536}                                             | {kind: bridge, mtu: 65535}                                       | lim.yaml:5:| MTU
            {kind: bridge, mtu: 1279, addresses: [fd00::1/64]}                     | {kind: bridge, mtu: 1280, addresses: [fd00::1/64]}               | lim.yaml:5:| IPV6_MIN_MTU
            """)
    void refusedAtItsPlaceAndTheBoundItselfPasses(String bad, String ok, String place, String names) {
        assertThat(problems(bad)).as(bad).anySatisfy(p -> {
            assertThat(p.toString()).startsWith(place).contains(names);
        });
        assertThat(problems(ok)).as(ok).noneSatisfy(p -> assertThat(p.toString()).contains(names));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            averyveryverylongname  | 15
            """)
    void interfaceNamesLongerThanIfnamsizAreRefused(String name, int max) {
        assertThat(max).isEqualTo(KernelLimits.IFNAME_MAX);
        List<Problem> ps = Validator.checkText(BASE.formatted("{kind: bridge}").replace("x: {kind", name + ": {kind"), "lim.yaml").problems();
        assertThat(ps).anySatisfy(p -> assertThat(p.toString()).startsWith("lim.yaml:5:").contains("at most " + max));
    }
}
