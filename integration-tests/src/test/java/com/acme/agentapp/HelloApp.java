package com.acme.agentapp;

/** The smallest program: the start-up cost of the agent is measured and compared on it. */
public final class HelloApp {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
