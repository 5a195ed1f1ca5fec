package com.acme.agenttest;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code dispatchUncaughtException} with what moves when code is prepended: a try/catch
 * (exception table, frames), a table switch (padding), an object created inside a conditional
 * expression (an {@code Uninitialized} stack map entry), line numbers and local variables.
 */
public class FakeThreadBranches extends Thread {
    public final List<String> seen = new ArrayList<>();

    public FakeThreadBranches() {
        super("fake-branches");
    }

    void dispatchUncaughtException(Throwable e) {
        String m = e.getMessage();
        switch (m.length()) {
            case 1:
                seen.add("one");
                break;
            case 2:
                seen.add("two");
                break;
            case 3:
                seen.add("three");
                break;
            default:
                seen.add("many");
        }
        try {
            seen.add(Integer.toString(Integer.parseInt(m)));
        } catch (NumberFormatException nfe) {
            seen.add("nan");
        }
        seen.add(new StringBuilder(m.isEmpty() ? "empty" : m).reverse().toString());
    }

    public void dispatch(Throwable e) {
        dispatchUncaughtException(e);
    }
}
