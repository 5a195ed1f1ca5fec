package dev.argus.service.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads and discards the body of a request that is answered without it (401, 403, 404, 405, 415).
 * Jetty closes a connection whose request body was not consumed when the answer completes; if the
 * answer does not say so, a client that reuses the connection, or is still sending, sees a reset
 * instead of the answer. Up to a bound the body is drained; beyond it the answer says
 * {@code Connection: close}.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    /** Drains at most {@code limit} bytes; sets {@code Connection: close} when the body is not consumed. */
    public static void discard(HttpServletRequest req, HttpServletResponse resp, long limit) {
        long declared = req.getContentLengthLong();
        boolean chunked = req.getHeader("Transfer-Encoding") != null;
        if (declared <= 0 && !chunked) {
            return;
        }
        String expect = req.getHeader("Expect");
        if (declared > limit || (expect != null && expect.regionMatches(true, 0, "100-", 0, 4))) {
            // A waiting 100-continue client has not sent the body: reading would invite it.
            resp.setHeader("Connection", "close");
            return;
        }
        byte[] buf = new byte[8192];
        long total = 0;
        try {
            InputStream in = req.getInputStream();
            while (total <= limit) {
                int n = in.read(buf);
                if (n < 0) {
                    return;
                }
                total += n;
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the body was already taken as a reader: nothing to drain
        }
        resp.setHeader("Connection", "close");
    }
}
