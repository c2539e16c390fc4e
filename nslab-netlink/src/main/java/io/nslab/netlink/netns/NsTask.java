package io.nslab.netlink.netns;

/**
 * Work that returns a value, run inside a namespace. {@code E} is inferred from
 * the lambda, so {@code ns.call(() -> Files.readString(p))} throws IOException
 * and a lambda throwing nothing checked throws nothing extra.
 */
@FunctionalInterface
public interface NsTask<T, E extends Exception> {
    T call() throws E;
}
