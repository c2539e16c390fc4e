package io.nslab.net;

/**
 * A test seam: called at every point where a process of {@code nslab net}
 * could die with something half done (before each netlink request that
 * changes the kernel, around each journal and store write). The kill test
 * counts these points and SIGKILLs a child JVM at each one in turn; in
 * production it is {@link #NONE}.
 */
@FunctionalInterface
interface Trace {
    Trace NONE = point -> { };

    void at(String point);
}
