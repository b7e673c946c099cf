package org.opentrade.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void numbersAreUniqueAndInTheSharedRanges() {
        assertEquals(ErrorCode.values().length, Arrays.stream(ErrorCode.values()).mapToInt(ErrorCode::code).distinct().count());
        for (ErrorCode e : ErrorCode.values()) {
            int c = e.code();
            assertTrue((c <= -1000 && c > -2000) || (c <= -9000 && c > -10000), e + " " + c);
        }
    }

    @Test
    void wireNumbersAreTheContracts() {
        assertEquals(-1001, ErrorCode.MALFORMED_REQUEST.code());
        assertEquals(-1004, ErrorCode.NOT_FOUND.code());
        assertEquals(-1005, ErrorCode.METHOD_NOT_ALLOWED.code());
        assertEquals(-9000, ErrorCode.INTERNAL.code());
        assertEquals(-9001, ErrorCode.UNAVAILABLE.code());
        assertEquals(-9002, ErrorCode.UPSTREAM_TIMEOUT.code());
    }
}
