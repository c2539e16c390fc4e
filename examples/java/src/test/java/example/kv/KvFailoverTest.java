package example.kv;

import io.nslab.junit.Lab;
import io.nslab.junit.NetLab;
import io.nslab.junit.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The replicas run in their nodes' namespaces, the client in its own; the test cuts the client off the first
 * replica, writes, heals, and reads the write back from that replica. With the client's retries (the default) it
 * passes; with {@code -Dkv.retries=0} the write during the partition fails, and so does the test.
 */
@NetLab("lab.yaml")
class KvFailoverTest {
    static final int PORT = 7070;

    List<InetSocketAddress> replicas;
    final List<KvServer> servers = new ArrayList<>();

    @BeforeEach void startReplicas(Lab lab) throws Exception {
        InetSocketAddress r1 = new InetSocketAddress(lab.node("r1").address(), PORT);
        InetSocketAddress r2 = new InetSocketAddress(lab.node("r2").address(), PORT);
        replicas = List.of(r1, r2);
        start(lab.node("r1"), List.of(r2));
        start(lab.node("r2"), List.of(r1));
    }

    /** A replica bound inside the node (the socket is made there), serving on a thread born there. */
    void start(Node node, List<InetSocketAddress> peers) throws Exception {
        KvServer s = node.call(() -> new KvServer(PORT, peers));
        servers.add(s);
        node.start(() -> {
            s.serve();
            return null;
        });
    }

    @AfterEach void stopReplicas() throws Exception {
        for (KvServer s : servers) s.close();      // a blocked accept() ends when its socket closes
    }

    @Test void aWriteDuringAPartitionSurvivesIt(Lab lab) throws Exception {
        KvClient client = new KvClient(replicas, Integer.getInteger("kv.retries", 3), 300);
        Node c = lab.node("client");

        c.call(() -> { client.put("x", "1"); return null; });
        assertEquals("1", c.call(() -> client.get("x")));

        lab.partition("client", "r1");                     // r1 still hears r2, the client does not hear r1
        c.call(() -> { client.put("y", "2"); return null; });   // r1 times out: the client must go to r2

        lab.heal();
        KvClient onlyR1 = new KvClient(List.of(replicas.get(0)), 0, 1000);
        assertEquals("2", c.call(() -> onlyR1.get("y")));  // r2 copied the write to r1
    }
}
