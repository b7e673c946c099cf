package org.opentrade.common.web;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one media-type check of request bodies, made by every service that reads JSON bodies (the gateway on
 * every route, trade-api behind it) before the body is read: a request that carries a body ({@link
 * #mayHaveBody}: a non-zero Content-Length, or a Transfer-Encoding) must say it is {@code application/json}
 * (parameters such as {@code ; charset=utf-8} aside, the type in any case), or it is refused with 415 -1006
 * ({@code ErrorCode.UNSUPPORTED_MEDIA_TYPE}); a request without one passes, whatever its Content-Type.
 *
 * <p>A body with no Content-Type is refused too, not read as JSON: a web page can make a visitor's browser send
 * one (a Blob in {@code fetch} with {@code mode: 'no-cors'}, {@code navigator.sendBeacon}), or a {@code
 * text/plain}, form or multipart one, without a CORS preflight, while {@code application/json} needs one. So a
 * page cannot drive a JSON endpoint from its visitors' browsers (spreading log-in guesses over their addresses).
 * Stateless.
 */
public final class JsonMediaType {
    private JsonMediaType() {
    }

    /**
     * Why {@code request}'s body is refused (the message for the error model), or null: no body may follow, or it
     * is declared {@code application/json}.
     */
    public static String refusal(HttpServerRequest request) {
        if (!mayHaveBody(request)) {
            return null;
        }
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return "the body must be application/json: send it with Content-Type: application/json";
        }
        return isJson(type) ? null : "the body must be application/json, got Content-Type '" + printable(type) + "'";
    }

    /** Whether a body may follow the headers: a non-zero Content-Length, or any Transfer-Encoding. */
    public static boolean mayHaveBody(HttpServerRequest request) {
        MultiMap headers = request.headers();
        String length = headers.get(HttpHeaders.CONTENT_LENGTH);
        return (length != null && !length.equals("0")) || headers.contains(HttpHeaders.TRANSFER_ENCODING);
    }

    /** Whether {@code contentType} is {@code application/json}: any case, parameters after a {@code ;} aside. */
    public static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .equalsIgnoreCase("application/json");
    }

    /** A caller's Content-Type as it may appear in a message: bounded, control characters replaced. */
    private static String printable(String type) {
        String t = type.length() > 64 ? type.substring(0, 64) + "…" : type;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
