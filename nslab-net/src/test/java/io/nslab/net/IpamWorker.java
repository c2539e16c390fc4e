package io.nslab.net;

import java.nio.file.Path;

/** Run in a separate JVM by NetEngineTest: connects namespaces PREFIX-0..N-1 to a network of a shared store. */
public final class IpamWorker {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String network = args[1], prefix = args[2];
        int n = Integer.parseInt(args[3]);
        FakeKernel k = new FakeKernel();
        k.anyNamespace = true;
        NetEngine engine = new NetEngine(new NetStore(dir), k);
        for (int i = 0; i < n; i++) engine.connect(NetEngine.ConnectRequest.of(network, prefix + "-" + i));
    }
}
