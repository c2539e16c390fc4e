package io.nslab.netlink.netns;

/** Work without a result, run inside a namespace; see {@link NsTask}. */
@FunctionalInterface
public interface NsAction<E extends Exception> {
    void run() throws E;
}
