package org.opentrade.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ErrorBodyTest {

    @Test
    void rendersTheContractFieldsInOrder() {
        String json = new ErrorBody("key revoked", -2004, "0af7651916cd43dd8448eb211c80319c").toJson();
        assertEquals("{\"error\":\"key revoked\",\"error_no\":-2004,\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\"}",
                json);
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersInTheMessage() {
        String json = new ErrorBody("bad \"x\" \\ \n\u0001", -1001, "t").toJson();
        assertEquals("{\"error\":\"bad \\\"x\\\" \\\\ \\n\\u0001\",\"error_no\":-1001,\"trace_id\":\"t\"}", json);
    }

    @Test
    void nonNegativeErrorNumbersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ErrorBody("x", 0, "t"));
    }

    @Test
    void traceIdComesFromAValidTraceparentElseIsFresh() {
        assertEquals("0af7651916cd43dd8448eb211c80319c",
                TraceIds.from("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
        String fresh = TraceIds.from("00-00000000000000000000000000000000-b7ad6b7169203331-01");
        assertTrue(TraceIds.isValid(fresh));
        assertNotEquals(TraceIds.from(null), TraceIds.from(null));
        assertFalse(TraceIds.isValid("0AF7651916CD43DD8448EB211C80319C"));
    }

    @Test
    void aCloseReasonIsTheWholeModelWhenItFitsElseItsNumberOnly() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        ErrorBody fits = new ErrorBody("frame larger than 65536 bytes", -1003, trace);
        assertEquals(fits.toJson(), fits.toCloseReason());
        assertTrue(fits.fitsCloseReason());
        ErrorBody tooLong = new ErrorBody("x".repeat(60), -1001, trace);
        assertEquals("{\"error_no\":-1001}", tooLong.toCloseReason());
        // The limit is counted in UTF-8 bytes, as a close frame's payload is: 48 ASCII characters fit, 48 "é" do not.
        assertEquals(ErrorBody.MAX_CLOSE_REASON_BYTES, new ErrorBody("x".repeat(48), -1001, trace).toJson().length());
        assertTrue(new ErrorBody("x".repeat(48), -1001, trace).fitsCloseReason());
        assertEquals("{\"error_no\":-1001}", new ErrorBody("é".repeat(48), -1001, trace).toCloseReason());
    }
}
