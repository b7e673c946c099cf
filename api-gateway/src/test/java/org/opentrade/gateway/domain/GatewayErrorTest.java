package org.opentrade.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opentrade.common.error.ErrorCode;

class GatewayErrorTest {

    @Test
    void everyNumberIsGivenOnce() {
        assertEquals(GatewayError.values().length,
                Arrays.stream(GatewayError.values()).mapToInt(GatewayError::code).distinct().count());
    }

    @Test
    void theSharedNumbersAreCommonsWithTheirMessages() {
        for (ErrorCode shared : ErrorCode.values()) {
            GatewayError g = Arrays.stream(GatewayError.values()).filter(e -> e.code() == shared.code()).findFirst()
                    .orElseThrow(() -> new AssertionError("the gateway lacks " + shared));
            assertEquals(shared.message(), g.message(), g.name());
        }
    }
}
