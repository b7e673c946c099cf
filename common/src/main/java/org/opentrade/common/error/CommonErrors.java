package org.opentrade.common.error;

/**
 * Error numbers every service's HTTP edge uses the same way. Subsystems add their own numbers in
 * their ranges (the gateway's -2xxx and -3xxx, the exchange's -4xxx and -5xxx).
 */
public final class CommonErrors {
    /** -1xxx: the body is not valid JSON, or a field has the wrong type. */
    public static final int MALFORMED_REQUEST = -1001;
    /** -1xxx: a required field or parameter is missing or out of range. */
    public static final int INVALID_PARAMETER = -1002;
    /** -1xxx: the request body is larger than the route allows. */
    public static final int BODY_TOO_LARGE = -1003;
    /** -1xxx: no route for this path. */
    public static final int NOT_FOUND = -1004;
    /** -1xxx: the path exists, the method does not. */
    public static final int METHOD_NOT_ALLOWED = -1005;
    /** -1xxx: the body's media type is not accepted (JSON expected). */
    public static final int UNSUPPORTED_MEDIA_TYPE = -1006;
    /** -1xxx: a header is malformed, repeated or too large. */
    public static final int BAD_HEADER = -1007;
    /** -9xxx: an unexpected failure, logged once with the trace id. */
    public static final int INTERNAL = -9000;
    /** -9xxx: the service or an upstream it needs is not ready or not reachable. */
    public static final int UNAVAILABLE = -9001;
    /** -9xxx: an upstream did not answer within the route's timeout. */
    public static final int UPSTREAM_TIMEOUT = -9002;

    private CommonErrors() {
    }
}
