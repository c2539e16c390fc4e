package io.nslab.lab.apply;

import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Observed;
import io.nslab.lab.plan.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel side of the engine: reads the state a plan needs and makes or
 * undoes single steps. {@link KernelExecutor} does it over netlink; tests use
 * an in-memory kernel.
 */
public interface Executor extends AutoCloseable {
    /** The kernel now, for the namespaces and sysctls the steps mention. */
    Observed observe(List<Step> steps) throws Exception;

    /** The value a step will replace (a sysctl's), journaled before the step so {@code down} can restore it. */
    Optional<String> before(Step s) throws Exception;

    void apply(Step s) throws Exception;

    /**
     * Refuses, before anything changes, steps this kernel cannot make (a netem impairment without
     * {@code CONFIG_NET_SCH_NETEM}), naming what is missing.
     */
    default void preflight(List<Step> steps) throws Exception {}

    /**
     * Makes several independent steps of one kind at once (the namespaces of a
     * large lab, in parallel); per step, its failure if any. All are attempted.
     */
    default List<Optional<Exception>> applyAll(List<Step> steps) {
        List<Optional<Exception>> out = new ArrayList<>();
        for (Step s : steps) {
            try {
                apply(s);
                out.add(Optional.empty());
            } catch (Exception e) {
                out.add(Optional.of(e));
            }
        }
        return out;
    }

    /**
     * Whether {@code s} may run in a group with the other steps of its
     * namespace (sent pipelined, see {@link #applyGroups}).
     */
    default boolean groupable(Step s) { return false; }

    /**
     * The lab the steps are for: links made outside the lab's namespaces get
     * its mark ({@link io.nslab.state.Marker}) as they are made, and are
     * deleted only while they carry it.
     */
    default void owner(String lab) {}

    /**
     * Runs groups of steps: each group holds steps of one namespace, in
     * order, independent of the other groups (which may run at the same time,
     * on other cores). Every step is attempted, also after a failure in its
     * group; per group, per step, its failure if any.
     */
    default List<List<Optional<Exception>>> applyGroups(List<List<Step>> groups) {
        List<List<Optional<Exception>>> out = new ArrayList<>();
        for (List<Step> g : groups) out.add(applyAll(g));
        return out;
    }

    /**
     * Undoes a step. {@code dying} are the namespaces the teardown deletes:
     * objects inside them need no undo of their own. "Already gone" is success.
     */
    void undo(Step s, Optional<String> previous, Set<NsRef> dying) throws Exception;

    /**
     * Waits (bounded) until what the steps brought up can carry traffic: a
     * veth end whose carrier came on when its peer came up only gets its
     * queueing discipline from the kernel's link watcher, which may run later;
     * until then it drops every packet.
     */
    default void settle(List<Step> applied) throws Exception {}

    /**
     * Closes the descriptors kept between steps (they are opened again if a step comes, e.g. a rollback).
     * Called before {@code run:} processes start: every child copies the parent's descriptor table and closes
     * it entry by entry before its exec, so a thousand kept namespaces and sockets cost each start about as
     * much as the start itself.
     */
    default void release() {}

    @Override default void close() {}
}
