package io.nslab.lab.validate;

import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Problem;
import io.nslab.lab.model.Ready;
import io.nslab.lab.model.Run;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** run:, after: and sysctls: in files: what they load to and every located problem. No kernel. */
class RunValidationTest {
    static Report check(String yaml) {
        return Validator.checkText(yaml, "r.yaml");
    }

    static List<String> problems(String yaml) {
        return check(yaml).problems().stream().map(Problem::toString).toList();
    }

    @Test void everyFormOfRunLoads() {
        Report r = check("""
                name: r
                nodes:
                  web:
                    run:
                      - {cmd: [sh, -c, "echo hi"], ready: exit}
                      - cmd: [nc, -lk, 8080]
                        env: {MODE: test, N: 3}
                        workdir: /tmp
                        ready: tcp 8080
                        timeout: 2.5s
                      - {cmd: [sh], ready: {file: /run/x.pid}, after: [db]}
                      - {cmd: [sh], ready: {udp: 53}}
                      - {cmd: [sh], ready: 500ms}
                      - [sleep, "100"]
                    sysctls: {net.core.somaxconn: 1024, net/ipv4/conf/eth0.100/rp_filter: 0, net.ipv4.ip_forward: true}
                  db: {}
                """);
        assertThat(r.problems()).isEmpty();
        Lab lab = r.orThrow();
        List<Run> run = lab.node("web").orElseThrow().run();
        assertThat(run).extracting(Run::ready).containsExactly(new Ready.Exit(), new Ready.Tcp(8080), new Ready.File("/run/x.pid"),
                new Ready.Udp(53), new Ready.Delay(Duration.ofMillis(500)), new Ready.Started());
        assertThat(run.get(1).cmd()).containsExactly("nc", "-lk", "8080");
        assertThat(run.get(1).env()).containsEntry("MODE", "test").containsEntry("N", "3");
        assertThat(run.get(1).workdir()).contains("/tmp");
        assertThat(run.get(1).timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(run.get(2).after()).containsExactly("db");
        assertThat(lab.node("web").orElseThrow().sysctls()).containsExactly(
                Map.entry("net.core.somaxconn", "1024"), Map.entry("net/ipv4/conf/eth0.100/rp_filter", "0"),
                Map.entry("net.ipv4.ip_forward", "1"));
    }

    @Test void badRunEntriesAreLocated() {
        assertThat(problems("""
                name: r
                nodes:
                  a:
                    run:
                      - {cmd: sh}
                      - {cmd: [no-such-program-nslab], ready: tcp 70000}
                      - {cmd: [/no/such/path], ready: maybe, workdir: rel, timeout: soon, shell: true}
                      - {ready: exit}
                    sysctls: {kernel.pid_max: 1, net.ipv4.ip_forward: {a: 1}}
                """)).containsExactlyInAnyOrder(
                "r.yaml:5:15: node a run[0]: cmd must be a non-empty list [PROGRAM, ARGS...], not the text 'sh' (no shell is used; write [sh, -c, \"...\"] for one)",
                "r.yaml:6:16: node a: program 'no-such-program-nslab' is not found in PATH (install it, or give its full path)",
                "r.yaml:6:47: node a run[1]: ready 'tcp 70000': the port must be 1..65535",
                "r.yaml:7:16: node a: program /no/such/path does not exist or is not executable (give the path of an installed program)",
                "r.yaml:7:39: node a run[2]: unknown ready 'maybe' (tcp PORT, udp PORT, exit, file PATH, {file: PATH} or a delay like 2s)",
                "r.yaml:7:55: node a run[2]: workdir 'rel' is not an absolute path (start it with '/')",
                "r.yaml:7:69: node a run[2]: timeout must be a duration like 10s or 500ms, not the text 'soon'",
                "r.yaml:7:75: unknown field 'shell' in node a run[2] (known fields: after, cmd, env, ready, timeout, workdir)",
                "r.yaml:8:9: node a run[3]: missing field 'cmd' (add 'cmd: [PROGRAM, ARGS...]')",
                "r.yaml:9:15: node a: sysctl 'kernel.pid_max' is not a net.* key (only the node's network namespace is set: net.ipv4.ip_forward, net.core.somaxconn, ...)",
                "r.yaml:9:55: node a: sysctl net.ipv4.ip_forward must be a value, not a map");
    }

    @Test void afterMustNameAnotherNodeAndNotComeBack() {
        assertThat(problems("""
                name: r
                nodes:
                  a: {run: [{cmd: [sh], after: [b]}]}
                  b: {run: [{cmd: [sh], after: [c]}]}
                  c: {run: [{cmd: [sh], after: [a, nowhere, c]}]}
                """)).containsExactlyInAnyOrder(
                "r.yaml:5:36: node c: after unknown node 'nowhere' (name a node of this lab)",
                "r.yaml:5:45: node c: after its own node (processes of one node already run in order)",
                "r.yaml:5:33: node c: after a makes a cycle a -> b -> c -> a (no process would ever start; remove one of these after: entries)");
    }

    @Test void aReadyPortTheNodeAlreadyUsesIsRefused() {
        assertThat(problems("""
                name: r
                nodes:
                  a:
                    serve: [tcp 80]
                    run:
                      - {cmd: [sh], ready: tcp 80}
                      - {cmd: [sh], ready: udp 53}
                      - {cmd: [sh], ready: {udp: 53}}
                """)).hasSize(2).allMatch(p -> p.contains("is a port the node already uses"));
    }

    @Test void aRunProcessReadyOnAPortSatisfiesReachesExpectations() {
        String lab = """
                name: r
                nodes:
                  a: {run: [{cmd: [sh], ready: tcp 8080}]}
                  b: {}
                links:
                  - ends: [{at: a:eth0, addresses: [10.0.0.1/24]}, {at: b:eth0, addresses: [10.0.0.2/24]}]
                expect:
                  - b reaches a tcp 8080
                  - b reaches a http 8080
                  - b reaches a udp 8080
                """;
        assertThat(problems(lab)).singleElement().asString().contains("does not serve udp 8080");
    }
}
