package dev.argus.service.work;

/**
 * A {@code /api} request body that cannot be applied: 400 (not JSON) or 422 (JSON of the wrong
 * shape: wrong type, unknown field, bad value). {@code field} names the offending member, or null.
 * Nothing has been changed when this is thrown.
 */
public final class WorkRequestException extends RuntimeException {
    private final int code;
    private final String field;

    public WorkRequestException(int code, String field, String message) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
    }

    static WorkRequestException invalid(String field, String message) {
        return new WorkRequestException(422, field, message);
    }

    public int code() {
        return code;
    }

    public String field() {
        return field;
    }

    /** The Monitor-shaped error body for this failure. */
    public MonitorError toError() {
        return MonitorError.of(code, getMessage());
    }
}
