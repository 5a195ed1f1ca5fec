package dev.argus.agent;

import java.util.Arrays;

/**
 * Numbers observed methods: the transformer registers each one and binds its number into the
 * advice as a constant, so a call looks its site up by index without reflection.
 */
final class MethodSites {
    private volatile MethodSite[] sites = new MethodSite[64];
    private int size;

    synchronized int register(MethodSite site) {
        MethodSite[] a = sites;
        if (size == a.length) {
            a = Arrays.copyOf(a, size * 2);
        }
        a[size] = site;
        sites = a; // volatile write publishes the new entry
        return size++;
    }

    /** The site registered as {@code id}, or null for an unknown id. */
    MethodSite get(int id) {
        MethodSite[] a = sites;
        return id >= 0 && id < a.length ? a[id] : null;
    }
}
