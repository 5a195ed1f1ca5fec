package dev.argus.agent;

import java.net.InetAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Facts about the host JVM read without JMX (loading {@code java.management} would cost start-up
 * time): the main command, process id, host name.
 */
final class JvmInfo {
    private JvmInfo() {
    }

    /** {@code sun.java.command}: main class or jar, then the program arguments. */
    static List<String> command() {
        String c = System.getProperty("sun.java.command");
        if (c == null || c.isBlank()) {
            return List.of();
        }
        // by hand, not split("\\s+"): a regular expression would load ~25 classes before main
        List<String> out = new ArrayList<>();
        int from = -1;
        for (int i = 0; i <= c.length(); i++) {
            boolean space = i == c.length() || Character.isWhitespace(c.charAt(i));
            if (space && from >= 0) {
                out.add(c.substring(from, i));
                from = -1;
            } else if (!space && from < 0) {
                from = i;
            }
        }
        return out;
    }

    /** The main class or jar, or empty when unknown. */
    static String main(List<String> command) {
        return command.isEmpty() ? "" : command.get(0);
    }

    /** Source used when none is configured: jar name without {@code .jar}, else the main class. */
    static String defaultSource(List<String> command) {
        String main = main(command);
        String source;
        if (main.endsWith(".jar")) {
            Path file = Paths.get(main).getFileName();
            String name = file == null ? main : file.toString();
            source = name.substring(0, name.length() - 4);
        } else {
            source = main.substring(main.lastIndexOf('/') + 1);
        }
        if (source.isBlank()) {
            source = "java";
        }
        return source.length() > 128 ? source.substring(0, 128) : source;
    }

    private static volatile long pid;

    /**
     * This process's id: on Linux from {@code /proc/self/status} (the last {@code NSpid} value is
     * the id in the process's own namespace, what {@code getpid()} returns), else
     * {@link ProcessHandle}, whose first use spins lambdas and a reaper pool (~10 ms at exit).
     */
    static long pid() {
        long p = pid;
        if (p == 0) {
            p = procSelfPid();
            if (p <= 0) {
                p = ProcessHandle.current().pid();
            }
            pid = p;
        }
        return p;
    }

    /** The pid read from {@code /proc/self/status}, or -1. */
    static long procSelfPid() {
        java.io.File status = new java.io.File("/proc/self/status");
        if (!status.canRead()) {
            return -1;
        }
        try (java.io.FileInputStream in = new java.io.FileInputStream(status)) {
            String text = new String(in.readNBytes(16_384), java.nio.charset.StandardCharsets.ISO_8859_1);
            int at = text.startsWith("NSpid:") ? 0 : text.indexOf("\nNSpid:");
            if (at < 0) {
                return -1; // Linux before 4.1, or not Linux
            }
            if (at > 0) {
                at++;
            }
            int end = text.indexOf('\n', at);
            String line = text.substring(at + 6, end < 0 ? text.length() : end).trim();
            int last = Math.max(line.lastIndexOf(' '), line.lastIndexOf('\t'));
            return Long.parseLong(line.substring(last + 1));
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The host name without a DNS lookup when the system can tell it directly. */
    static String host() {
        for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                return v.strip();
            }
        }
        try {
            // FileInputStream, not Files: the NIO file channel classes are not loaded yet at exit
            java.io.File linux = new java.io.File("/proc/sys/kernel/hostname");
            if (linux.canRead()) {
                try (java.io.FileInputStream in = new java.io.FileInputStream(linux)) {
                    String v = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                    if (!v.isEmpty()) {
                        return v;
                    }
                }
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
