package com.acme.agenttest;

import java.util.ArrayList;
import java.util.List;

/** Has a {@code dispatchUncaughtException} whose code starts with a loop (a stack map frame at offset 0). */
public class FakeThread extends Thread {
    public final List<String> seen = new ArrayList<>();

    public FakeThread() {
        super("fake-thread");
    }

    void dispatchUncaughtException(Throwable e) {
        do {
            seen.add(e.getMessage());
        } while (seen.size() < 2);
    }

    public void dispatch(Throwable e) {
        dispatchUncaughtException(e);
    }
}
