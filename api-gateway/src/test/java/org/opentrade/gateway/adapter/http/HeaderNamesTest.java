package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderNamesTest {
    private final HeaderNames names = HeaderNames.of("X-API-Key", "X-API-Secret", "te", "Content-Type", "X-Signature");

    @Test
    void matchesEveryNameInAnyCaseAndAsAnyCharSequence() {
        assertEquals(0, names.indexOf("x-api-key"));
        assertEquals(1, names.indexOf("X-API-SECRET"));
        assertEquals(2, names.indexOf("TE"));
        assertEquals(3, names.indexOf(new AsciiString("content-type")));
        assertEquals(4, names.indexOf(new StringBuilder("x-Signature")));
        assertEquals("Content-Type", names.name(names.indexOf("CONTENT-TYPE")));
    }

    @Test
    void refusesOtherNamesOfTheSameLengthAndLongerOrShorterOnes() {
        assertFalse(names.contains("X-API-Kez"));     // same length as X-API-Key
        assertFalse(names.contains("X-Timestamp"));   // same length as X-Signature
        assertFalse(names.contains("X-API-Keys"));
        assertFalse(names.contains("t"));
        assertFalse(names.contains(""));
        assertFalse(names.contains("a-header-name-longer-than-any-in-the-set"));
        assertFalse(HeaderNames.of().contains("te"));
    }

    @Test
    void startsWithIgnoresTheCaseOfTheName() {
        assertTrue(HeaderNames.startsWith("X-OpenTrade-Plan", "x-opentrade-"));
        assertTrue(HeaderNames.startsWith(new AsciiString("PROXY-Connection"), "proxy-"));
        assertFalse(HeaderNames.startsWith("X-Open", "x-opentrade-"));
        assertFalse(HeaderNames.startsWith("X-Forwarded", "x-opentrade-"));
    }

    @Test
    void entriesAreEveryHeaderInOrderWithRepeats() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("A", "1").add("b", "2").add("a", "3");
        List<String> seen = new ArrayList<>();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = HeaderNames.entries(headers); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            seen.add(e.getKey() + "=" + e.getValue());
        }
        assertEquals(List.of("A=1", "b=2", "a=3"), seen);
    }
}
