package org.opentrade.gateway.adapter.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Refuses a request that states its length twice, with both {@code Content-Length} and {@code
 * Transfer-Encoding} (RFC 9112 §6.1: a server MUST close the connection after answering one). Such a
 * request is how requests are smuggled past a front proxy that reads the other length: the bytes it
 * counts as one request's body, this gateway would read as the next request on the same connection.
 * Netty's decoder drops the {@code Content-Length} and goes on silently; with this guard the request
 * gets 400 -1001 in the error model and its connection is closed ({@link ConnectionGuard}).
 *
 * <p>The one place the gateway reaches below Vert.x's public API (5.0.x), kept here so an upgrade that
 * moves it breaks one small class: the connection's Netty pipeline, whose {@code "httpDecoder"} is
 * replaced by the same Vert.x decoder with Netty's documented hook for this case overridden. A connection
 * whose pipeline is not the expected one keeps Vert.x's decoder (and Netty's silent handling).
 */
final class AmbiguousLengthGuard {
    static final String DECODER = "httpDecoder";

    private AmbiguousLengthGuard() {
    }

    /** Why a request was refused: both lengths were given. */
    static final class BothLengths extends RuntimeException {
        BothLengths() {
            super("both Content-Length and Transfer-Encoding", null, false, false); // no stack: it is an answer
        }
    }

    /** Why a request was refused: its request line names an HTTP version other than 1.0 and 1.1. */
    static final class UnsupportedVersion extends RuntimeException {
        UnsupportedVersion() {
            super("HTTP version not supported", null, false, false);
        }
    }

    /**
     * Why the body's framing of {@code req} is not one this server reads, or null: RFC 9112 6.1 and 6.3 ask for a
     * 400 and a closed connection when a Transfer-Encoding's last coding is not chunked (the length cannot be
     * known; other codings than chunked alone are refused too, as the gateway decodes none), when an HTTP/1.0 request has one at all (1.0 has no transfer codings: a 1.0 front proxy frames it by
     * its Content-Length), and when Content-Length comes with it. Netty strips the Content-Length only of an
     * HTTP/1.1 chunked request (the decoder below catches that case); in the others both headers reach here.
     */
    static String problem(io.vertx.core.http.HttpServerRequest req) {
        java.util.List<String> codings = req.headers().getAll(io.vertx.core.http.HttpHeaders.TRANSFER_ENCODING);
        if (codings.isEmpty()) {
            return null;
        }
        if (req.version() != io.vertx.core.http.HttpVersion.HTTP_1_1) {
            return "Transfer-Encoding is not allowed in an HTTP/1.0 request; send Content-Length";
        }
        if (req.headers().contains(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH)) {
            return "the request has both Content-Length and Transfer-Encoding; send one";
        }
        // chunked alone: another coding (gzip, chunked) would be read as if it were not there, and chunked twice is
        // forbidden (RFC 9112 6.1); the gateway decodes no other transfer coding.
        int chunked = 0;
        for (String line : codings) {
            for (String coding : line.split(",")) {
                String c = coding.strip();
                if (c.equalsIgnoreCase("chunked")) {
                    chunked++;
                } else if (!c.isEmpty()) {
                    return "only Transfer-Encoding: chunked is supported";
                }
            }
        }
        return chunked == 1 ? null : "only Transfer-Encoding: chunked is supported";
    }

    /**
     * Puts the strict decoder on {@code connection}: on its event loop, before it reads its first request.
     * {@code options} must carry the server's decoder limits (head and request-line sizes).
     * @return whether it was put in place
     */
    static boolean install(HttpConnection connection, HttpServerOptions options) {
        if (!(connection instanceof ConnectionBase base)) {
            return false;
        }
        ChannelPipeline pipeline = base.channel().pipeline();
        if (!(pipeline.get(DECODER) instanceof VertxHttpRequestDecoder)) {
            return false; // HTTP/2, or a Vert.x whose pipeline differs: keep its own
        }
        pipeline.replace(DECODER, DECODER, new StrictDecoder(options));
        return true;
    }

    private static final class StrictDecoder extends VertxHttpRequestDecoder {
        StrictDecoder(HttpServerOptions options) {
            super(options);
        }

        /** The request being decoded named a version other than 1.0 and 1.1 (set by its request line). */
        private boolean unsupportedVersion;

        /**
         * Netty reads any {@code HTTP/x.y}; Vert.x serves 1.0 and 1.1 and answered the others 501 with no body before
         * any handler of ours ran. A request of another major version is made invalid once its head is read ({@link #isContentAlwaysEmpty}:
         * a decoder result set here is reset with the headers), so the invalid-request handler answers 505 in the
         * error model, as HTTP/1.1 (the version this server speaks, RFC 9110 15.6.6).
         */
        @Override
        protected HttpMessage createMessage(String[] initialLine) {
            HttpMessage message = super.createMessage(initialLine);
            HttpVersion version = message.protocolVersion();
            if (version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0) {
                // A later 1.x is read as 1.1 (RFC 9112 2.6: a higher minor version is processed as the highest
                // one implemented); another major version is refused.
                unsupportedVersion = version.majorVersion() != 1;
                message.setProtocolVersion(HttpVersion.HTTP_1_1);
            }
            return message;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage message) {
            if (unsupportedVersion) {
                unsupportedVersion = false;
                message.setDecoderResult(DecoderResult.failure(new UnsupportedVersion()));
            }
            return super.isContentAlwaysEmpty(message);
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            // Netty's documented hook: a failed decoder result makes the request invalid (Vert.x then hands it
            // to the server's invalid-request handler); the body is still read as chunked, then discarded.
            super.handleTransferEncodingChunkedWithContentLength(message);
            message.setDecoderResult(DecoderResult.failure(new BothLengths()));
        }
    }
}
