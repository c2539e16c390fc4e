package io.nslab.lab.model;

/**
 * A veth pair between two node interfaces. Both ends are also listed in their nodes' {@link Node#interfaces()}.
 *
 * @param differentSubnets the file allows the two ends to be on different subnets (joined by device routes,
 *                         seed S3); otherwise every address of one end must share a subnet with the other end
 */
public record Link(Iface a, Iface b, boolean differentSubnets, Src src) {
    @Override
    public String toString() {
        return a.ref() + " -- " + b.ref();
    }
}
