package com.acme.agentapp;

import dev.argus.annotations.Observed;
import io.opentelemetry.instrumentation.annotations.WithSpan;

/**
 * A small application the agent end-to-end tests run in a child JVM (outside {@code dev.argus},
 * which the agent never instruments). The first argument picks what it does.
 */
public final class SampleApp {

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "ok" : args[0];
        System.out.println("sample " + mode + " starting");
        switch (mode) {
            case "ok":
                System.out.println("total " + new Orders().total(3, 7));
                try {
                    new Orders().reject("out of stock");
                } catch (IllegalStateException e) {
                    System.out.println("rejected: " + e.getMessage());
                }
                System.out.println("span " + new Orders().traced());
                System.out.println("listed " + new Orders().plain(5));
                break;
            case "hello":
                // nothing observed, no error: the agent has only jvm.start and jvm.stop to send
                break;
            case "wait-for-file":
                // like hello, but runs until the file args[1] exists (at most 120 s)
                java.nio.file.Path file = java.nio.file.Paths.get(args[1]);
                long until = System.nanoTime() + 120_000_000_000L;
                while (!java.nio.file.Files.exists(file) && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                break;
            case "crash-main":
                throw new IllegalStateException("main failed");
            case "crash-worker":
                Thread worker = new Thread(() -> {
                    throw new IllegalArgumentException("worker failed");
                }, "sample-worker");
                worker.start();
                worker.join();
                System.out.println("main continues after worker died");
                break;
            case "crash-virtual":
                // Java 21+ only; reflection keeps this class compilable for release 17
                Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
                Thread virtual = (Thread) Class.forName("java.lang.Thread$Builder")
                        .getMethod("start", Runnable.class).invoke(builder, (Runnable) () -> {
                            throw new IllegalStateException("virtual failed");
                        });
                virtual.join();
                System.out.println("main continues after virtual thread died");
                break;
            case "wait-for-attach":
                // runs observed code before and after an agent is attached to this running JVM
                System.out.println("before " + new Orders().total(1, 1));
                java.nio.file.Path marker = java.nio.file.Paths.get(args[1]);
                long deadline = System.nanoTime() + 120_000_000_000L;
                System.out.println("ready");
                System.out.flush();
                while (!java.nio.file.Files.exists(marker) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                System.out.println("after " + new Orders().total(2, 2));
                break;
            case "own-handler":
                // installed after the agent started: it must still run, and decide the exit code
                Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
                    System.out.println("own handler saw " + e.getMessage() + " in " + t.getName());
                    System.out.flush();
                    System.exit(3);
                });
                throw new UnsupportedOperationException("handled by the app");
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
        System.out.println("sample " + mode + " done");
    }

    /** The observed business code. */
    public static final class Orders {
        @Observed
        public int total(int a, int b) {
            return a + b;
        }

        @Observed(name = "order.reject", eventType = "order")
        public void reject(String reason) {
            throw new IllegalStateException(reason);
        }

        @WithSpan("traced-span")
        public String traced() {
            return "t";
        }

        /** Observed only through {@code argus.methods}. */
        public int plain(int x) {
            return x * x;
        }
    }
}
