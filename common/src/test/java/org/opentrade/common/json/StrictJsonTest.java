package org.opentrade.common.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    @Test
    void decodesWhatTheVertxCodecDecodes() {
        String text = "{\"symbol\":\"600000.SH\",\"qty\":100,\"price\":\"10.01\",\"nested\":{\"a\":[1,{\"b\":null}]},"
                + "\"flag\":true,\"big\":12345678901234567890,\"f\":1.5}";
        Object strict = StrictJson.decode(Buffer.buffer(text));
        assertInstanceOf(JsonObject.class, strict);
        assertEquals(new JsonObject(text), strict);
        assertEquals(new JsonArray("[1,2]"), StrictJson.decode("[1,2]"));
        assertEquals("x", StrictJson.decode("\"x\""));
        assertNull(StrictJson.decode("null"));
    }

    @Test
    void refusesAMemberNamedTwice() {
        StrictJson.Duplicate top = assertThrows(StrictJson.Duplicate.class,
                () -> StrictJson.decode(Buffer.buffer("{\"symbol\":\"A.SH\",\"qty\":1,\"symbol\":\"B.SH\"}")));
        assertEquals("symbol", top.name());
        assertEquals("the member 'symbol' is named twice in one object", top.getMessage());
        String longName = "n\\u0001" + "x".repeat(60); // as written in JSON: n, an escaped U+0001, then x…
        StrictJson.Duplicate clipped = assertThrows(StrictJson.Duplicate.class,
                () -> StrictJson.decode("{\"" + longName + "\":1,\"" + longName + "\":2}"));
        assertEquals("n\u0001" + "x".repeat(60), clipped.name());
        assertEquals("the member 'n?" + "x".repeat(38) + "…' is named twice in one object", clipped.getMessage());
        // Nested, in an array, and spelled differently on the wire (an escape decodes to the same name).
        assertEquals("a", assertThrows(StrictJson.Duplicate.class,
                () -> StrictJson.decode("{\"o\":[{\"a\":1,\"a\":2}]}")).name());
        assertEquals("qty", assertThrows(StrictJson.Duplicate.class,
                () -> StrictJson.decode(Buffer.buffer("{\"qty\":1,\"q\\u0074y\":2}"))).name());
        // The same name in sibling objects is no duplicate.
        assertEquals(2, ((JsonArray) StrictJson.decode("[{\"a\":1},{\"a\":2}]")).size());
    }

    @Test
    void refusesWhatIsNotOneJsonValue() {
        // Comments are not JSON (Vert.x's own codec lets them through): a body with one is refused, not read.
        for (String bad : new String[] {"", "{", "{\"a\":1}x", "{\"a\":1} {\"a\":2}", "{'a':1}", "nul",
                "{\"a\":1,/*x*/\"b\":2}", "{\"a\":1 // x\n}", "# x\n{\"a\":1}"}) {
            DecodeException e = assertThrows(DecodeException.class, () -> StrictJson.decode(Buffer.buffer(bad)), bad);
            assertEquals(DecodeException.class, e.getClass(), bad);
        }
    }
}
