package io.nslab.netlink.netns;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which mounts the spawner's base detaches, from mountinfo lines in the kernel's format (proc(5)). */
class MountBaseTest {
    private static final String HOST = """
            27 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
            28 27 0:5 / /sys rw,nosuid shared:2 - sysfs sysfs rw
            45 27 254:0 /run/netns /run/netns rw,relatime shared:1 - ext4 /dev/vda rw
            46 45 0:4 net:[4026532300] /run/netns/lab.a rw shared:3 - nsfs nsfs rw
            47 45 0:4 net:[4026532301] /run/netns/lab.b rw shared:3 - nsfs nsfs rw
            50 27 0:4 net:[4026532400] /var/run/docker/netns/x\\040y rw shared:3 - nsfs nsfs rw
            51 27 0:30 / /tmp/a\\040b rw - tmpfs tmpfs rw
            """;

    @Test void parsesIdsPointsAndTypesUndoingEscapes() {
        List<MountBase.Mount> ms = MountBase.parse(HOST);
        assertThat(ms).hasSize(7);
        assertThat(ms.get(3)).isEqualTo(new MountBase.Mount(46, 45, "/run/netns/lab.a", "nsfs"));
        assertThat(ms.get(6).point()).isEqualTo("/tmp/a b");
    }

    @Test void aMountHoldingOnlyNsfsGoesWholeOthersOneByOne() {
        // /run/netns holds only namespace files: one detach; the docker one sits on / beside other mounts
        assertThat(MountBase.nsfsTops(MountBase.parse(HOST))).containsExactly("/run/netns", "/var/run/docker/netns/x y");
    }

    @Test void nothingToDetachWithoutNsfs() {
        assertThat(MountBase.nsfsTops(MountBase.parse("27 1 254:0 / / rw - ext4 /dev/vda rw\n"))).isEmpty();
    }
}
