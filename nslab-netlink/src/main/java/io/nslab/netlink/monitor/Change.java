package io.nslab.netlink.monitor;

/** Whether an object appeared or changed (RTM_NEW*), or went away (RTM_DEL*). */
public enum Change { NEW, DEL }
