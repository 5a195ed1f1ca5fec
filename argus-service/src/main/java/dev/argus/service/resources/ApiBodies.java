package dev.argus.service.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.argus.service.work.WorkJson;
import dev.argus.service.work.WorkRequestException;
import jakarta.servlet.http.HttpServletRequest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads the JSON object body of an {@code /api} request, the same way for every {@code /api} handler. */
final class ApiBodies {
    private ApiBodies() {
    }

    /** The body: 415 for another content type, 413 beyond {@code maxBodyBytes}, 400/422 as {@link WorkJson#parseObject}. */
    static ObjectNode jsonObject(HttpServletRequest req, int maxBodyBytes) throws IOException {
        String type = req.getContentType();
        String media = type == null ? null : (type.indexOf(';') >= 0 ? type.substring(0, type.indexOf(';')) : type)
                .strip().toLowerCase(Locale.ROOT);
        if (!"application/json".equals(media)) {
            throw new WorkRequestException(415, null, media == null ? "missing Content-Type; expected application/json"
                    : "unsupported Content-Type '" + media + "'; expected application/json");
        }
        if (req.getContentLengthLong() > maxBodyBytes) {
            throw tooLarge(maxBodyBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = req.getInputStream()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                if (out.size() > maxBodyBytes) {
                    throw tooLarge(maxBodyBytes);
                }
            }
        }
        return WorkJson.parseObject(out.toByteArray());
    }

    private static WorkRequestException tooLarge(int maxBodyBytes) {
        return new WorkRequestException(413, null, "request body exceeds " + maxBodyBytes / 1024 + " KB");
    }
}
