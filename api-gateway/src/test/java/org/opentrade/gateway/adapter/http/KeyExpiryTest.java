package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.opentrade.gateway.domain.GatewayError;

/** {@code expires_at} of a new key: an RFC 3339 time in the future that the answer can write back. */
class KeyExpiryTest {
    private static final long NOW = 1_767_225_600_000L; // 2026-01-01

    @Test
    void aFutureTimeIsTakenToTheMillisecond() {
        assertEquals(1_798_761_600_123L, KeyRoutes.parseExpiry("2027-01-01T00:00:00.123Z", NOW));
        assertEquals(253_402_300_799_999L, KeyRoutes.parseExpiry("9999-12-31T23:59:59.999Z", NOW));
    }

    @Test
    void thePastNonsenseAndYearsPast9999AreInvalidParameters() {
        for (String t : new String[] {"2025-12-31T23:59:59Z", "tomorrow", "+10000-01-01T00:00:00Z",
                "+292278993-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z"}) {
            Rejection r = assertThrows(Rejection.class, () -> KeyRoutes.parseExpiry(t, NOW), t);
            assertEquals(GatewayError.INVALID_PARAMETER, r.error(), t);
        }
    }
}
