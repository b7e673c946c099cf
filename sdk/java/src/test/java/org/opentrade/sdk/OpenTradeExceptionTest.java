package org.opentrade.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenTradeExceptionTest {
    private static OpenTradeException of(int status, int errorNo) {
        return OpenTradeException.of(status, "{\"error\":\"e\",\"error_no\":" + errorNo
                + ",\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}", null, null);
    }

    @Test
    void errorsAreTypedByTheirErrorNumberRange() {
        assertInstanceOf(InvalidRequestException.class, of(400, -1001));
        assertInstanceOf(AuthenticationException.class, of(401, -2011));
        assertInstanceOf(RateLimitException.class, of(429, -3001));
        assertInstanceOf(OrderRejectedException.class, of(422, -4101));
        assertInstanceOf(ExchangeException.class, of(422, -5001));
        assertInstanceOf(MarketDataException.class, of(404, -6001));
        assertInstanceOf(ServerException.class, of(504, -9002));
        OpenTradeException e = of(422, -4101);
        assertEquals(-4101, e.errorNo());
        assertEquals(422, e.httpStatus());
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", e.traceId());
        assertEquals("[-4101] e", e.getMessage());
    }

    @Test
    void anAnswerThatIsNotTheErrorModelIsAServerErrorKeepingItsBody() {
        OpenTradeException e = OpenTradeException.of(502, "<html>bad gateway</html>", Duration.ofSeconds(3), null);
        assertInstanceOf(ServerException.class, e);
        assertEquals(0, e.errorNo());
        assertNull(e.traceId());
        assertEquals("<html>bad gateway</html>", e.body());
        assertEquals(Duration.ofSeconds(3), e.retryAfter().orElseThrow());
        assertTrue(e.json().isEmpty());
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertEquals(Duration.ofSeconds(2), RetryPolicy.parseRetryAfter(" 2 "));
        assertNull(RetryPolicy.parseRetryAfter("-1"));
        assertNull(RetryPolicy.parseRetryAfter("soon"));
        assertEquals(Duration.ZERO, RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), "a past date: now");
    }
}
