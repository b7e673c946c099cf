package org.opentrade.launcher;

import io.vertx.core.json.JsonObject;

/**
 * The error model of DESIGN.md §3 (a contract): {@code {"error", "error_no", "trace_id"}}, and the
 * numbers the launcher's own endpoints use.
 */
final class ErrorBody {
    /** -1xxx request validation: no route for this path. */
    static final int NOT_FOUND = -1004;
    /** -1xxx request validation: the path exists, the method does not. */
    static final int METHOD_NOT_ALLOWED = -1005;
    /** -9xxx internal: an unexpected failure, logged with the trace id. */
    static final int INTERNAL = -9000;
    /** -9xxx internal: the exchange has not finished recovery or is stopping. */
    static final int NOT_READY = -9001;

    private ErrorBody() {
    }

    static String of(String message, int errorNo, String traceId) {
        return new JsonObject().put("error", message).put("error_no", errorNo).put("trace_id", traceId).encode();
    }
}
