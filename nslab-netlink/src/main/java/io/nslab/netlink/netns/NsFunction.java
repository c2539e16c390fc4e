package io.nslab.netlink.netns;

/** Work run inside the namespace called {@code name}, for the batch calls {@link NetNs#inEach} and {@link NetNs#createAll(java.util.List, NsFunction)}. */
@FunctionalInterface
public interface NsFunction<T, E extends Exception> {
    T apply(String name) throws E;
}
