package io.nslab.lab.verify;

import io.nslab.lab.probe.Probe;
import io.nslab.lab.probe.ProbeResult;

/**
 * One verified fact: from a node, a probe, whether it was expected to reach,
 * and what happened. {@code source} says where the check came from: the
 * file's {@code expect:} ("expect") or the all-pairs sweep of a segment
 * ("segment NAME").
 */
public record Check(String from, String to, Probe probe, boolean expectReach, String source, ProbeResult result) {
    public boolean passed() { return result.reached() == expectReach; }
}
