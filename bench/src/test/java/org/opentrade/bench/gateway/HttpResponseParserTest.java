package org.opentrade.bench.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseParserTest {
    private static final String NEXT = "HTTP/1.1 200 OK\r\n"; // bytes after the response must be left unread

    @Test
    void contentLengthResponseEndsAfterItsBodyWhereverTheReadsSplitIt() {
        everySplit("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 11\r\n\r\n{\"a\":\"bcd\"}",
                200, true);
    }

    @Test
    void chunkedResponseWithExtensionsAndTrailersEndsAfterItsLastChunk() {
        everySplit("HTTP/1.1 500 Internal Server Error\r\nTRANSFER-ENCODING: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n", 500, true);
    }

    @Test
    void connectionCloseMakesTheConnectionNotReusable() {
        everySplit("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", 200, false);
    }

    @Test
    void http10IsReusableOnlyWithKeepAlive() {
        everySplit("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 200, false);
        everySplit("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 200, true);
    }

    @Test
    void noContentAndInterimAnswersAreHandled() {
        everySplit("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", 204, true);
        everySplit("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nx", 404, true);
    }

    @Test
    void responseWithoutLengthEndsWhenTheServerCloses() {
        HttpResponseParser p = new HttpResponseParser();
        assertEquals(HttpResponseParser.NEED_MORE, p.feed(ascii("HTTP/1.1 200 OK\r\n\r\nbody until close")));
        assertEquals(HttpResponseParser.COMPLETE, p.endOfStream());
        assertFalse(p.reusable());
    }

    @Test
    void garbageAndBadLengthsAreMalformed() {
        assertEquals(HttpResponseParser.MALFORMED, new HttpResponseParser().feed(ascii("SSH-2.0-OpenSSH\r\n")));
        assertEquals(HttpResponseParser.MALFORMED,
                new HttpResponseParser().feed(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n")));
        assertEquals(HttpResponseParser.MALFORMED,
                new HttpResponseParser().feed(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")));
        HttpResponseParser cut = new HttpResponseParser();
        assertEquals(HttpResponseParser.NEED_MORE, cut.feed(ascii("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nab")));
        assertEquals(HttpResponseParser.MALFORMED, cut.endOfStream());
    }

    /** Feeds the response in two reads split at every position, then once more after a reset. */
    private static void everySplit(String response, int status, boolean reusable) {
        byte[] bytes = (response + NEXT).getBytes(StandardCharsets.US_ASCII);
        int end = response.length();
        HttpResponseParser p = new HttpResponseParser();
        for (int split = 0; split <= end; split++) {
            p.reset();
            ByteBuffer first = ByteBuffer.wrap(bytes, 0, split).slice();
            int r = p.feed(first);
            if (split < end) {
                assertEquals(HttpResponseParser.NEED_MORE, r, "split at " + split);
                assertEquals(split, first.position(), "consumed the whole first read");
                ByteBuffer second = ByteBuffer.wrap(bytes, split, bytes.length - split).slice();
                assertEquals(HttpResponseParser.COMPLETE, p.feed(second), "split at " + split);
                assertEquals(end - split, second.position(), "stopped at the end of the response");
            } else {
                assertEquals(HttpResponseParser.COMPLETE, r);
            }
            assertEquals(status, p.status());
            assertEquals(reusable, p.reusable());
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
