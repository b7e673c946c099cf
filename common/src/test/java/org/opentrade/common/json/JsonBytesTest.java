package org.opentrade.common.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written encodings against Jackson's bytes and the JDK formatter's text, on random and edge values. */
class JsonBytesTest {

    private static String randomString(Random r) {
        int n = r.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            if (k == 0) {
                sb.append((char) r.nextInt(0x20));
            } else if (k == 1) {
                sb.append("\"\\/\u007f".charAt(r.nextInt(4)));
            } else if (k == 2 && r.nextInt(4) == 0) {
                sb.append((char) (0x80 + r.nextInt(0x10000 - 0x80))); // lone surrogates included
            } else if (k == 3 && r.nextInt(4) == 0) {
                sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
            } else {
                sb.append((char) (0x20 + r.nextInt(0x5f)));
            }
        }
        return sb.toString();
    }

    private static Object randomValue(Random r, int depth) {
        return switch (r.nextInt(depth > 2 ? 6 : 9)) {
            case 0 -> null;
            case 1 -> randomString(r);
            case 2 -> r.nextLong();
            case 3 -> r.nextInt(3) == 0 ? Long.MIN_VALUE : r.nextInt(3) == 0 ? Long.MAX_VALUE : (long) r.nextInt(1000) - 500;
            case 4 -> r.nextInt();
            case 5 -> r.nextBoolean();
            case 6 -> randomObject(r, depth + 1);
            case 7 -> {
                JsonArray a = new JsonArray();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(randomValue(r, depth + 1));
                }
                yield a;
            }
            default -> r.nextBoolean() ? 1.5 : new BigDecimal("12.30");
        };
    }

    private static JsonObject randomObject(Random r, int depth) {
        JsonObject o = new JsonObject();
        for (int i = r.nextInt(6); i > 0; i--) {
            o.put(randomString(r), randomValue(r, depth));
        }
        return o;
    }

    private static String written(JsonBytes w) {
        return new String(w.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void anyObjectEncodesToTheBytesJacksonWrites() {
        Random r = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            JsonObject o = randomObject(r, 0);
            assertEquals(o.toBuffer(), JsonBytes.toBuffer(o), o::encode);
        }
    }

    @Test
    void everyCharacterIsEscapedAsJacksonEscapesIt() {
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = "a" + (char) c + "b";
            JsonObject o = new JsonObject().put("k" + (char) c, s);
            assertEquals(o.toBuffer(), JsonBytes.toBuffer(o), "char " + c);
            assertEquals(new JsonArray().add(s).toBuffer(), new JsonBytes(1).raw('[').string(s).raw(']').toBuffer(),
                    "char " + c);
        }
    }

    @Test
    void charactersOutsideTheBmpAreWrittenAsJacksonWritesTheirSurrogatePairs() {
        String tricky = "q\"b\\s/\n\t\u0001é中文😀x\uD800";
        for (String s : new String[] {tricky, "😀", "\uD83D", "\uDE00\uD83D", "𝄞𝄞"}) {
            JsonBytes w = new JsonBytes(4).raw("{\"s\":").string(s).raw('}');
            assertEquals(new JsonObject().put("s", s).toBuffer(), w.toBuffer(), s);
        }
    }

    @Test
    void nullAndNamesAreWrittenAsJacksonWritesThem() {
        assertEquals("null", written(new JsonBytes(1).string(null)));
        assertEquals("{\"a\\n\":null}", written(new JsonBytes(1).raw('{').name("a\n").value(null).raw('}')));
    }

    @Test
    void aValueWithoutAnExactFastFormIsLeftToJackson() {
        assertThrows(JsonBytes.Unsupported.class, () -> new JsonBytes(16).value(1.5));
        assertThrows(JsonBytes.Unsupported.class, () -> new JsonBytes(16).value(Instant.EPOCH));
        JsonObject o = new JsonObject().put("d", 1.5).put("n", new BigDecimal("12.30"));
        assertEquals(o.toBuffer(), JsonBytes.toBuffer(o));
    }

    @Test
    void negativeAndExtremeNumbersAreWrittenInFull() {
        long[] values = {0, -1, 1, 5, -5, 9, 10, 99, -100, 101, 12_345, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
            -Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        Random r = new Random(13);
        for (int i = 0; i < values.length + 20_000; i++) {
            long v = i < values.length ? values[i] : r.nextInt(2) == 0 ? r.nextLong() : r.nextInt(2_000_000) - 1_000_000;
            assertEquals(Long.toString(v), written(new JsonBytes(1).number(v)));
            String decimal = BigDecimal.valueOf(v, 2).toPlainString();
            assertEquals('"' + decimal + '"', written(new JsonBytes(1).decimal(v)), "decimal " + v);
            assertEquals(v == 0 ? "null" : '"' + decimal + '"', written(new JsonBytes(1).price(v)), "price " + v);
        }
    }

    @Test
    void timesAreFormattedAsTheJdkFormatterFormatsThem() {
        Random r = new Random(3);
        long[] edges = {0, -1, 1, 999, 86_399_999, 86_400_000, 951_782_400_000L /* 2000-02-29 */,
            4_107_456_000_000L, 4_107_542_399_999L /* 2100-02-28T23:59:59.999 */,
            -62_167_219_200_001L, -62_167_219_200_000L /* 0000-01-01: year 0, the formatter's "0001" */,
            -62_135_596_800_001L, -62_135_596_800_000L /* 0001-01-01 */, 253_402_300_799_999L /* 9999-12-31T23:59:59.999 */,
            253_402_300_800_000L, -62_200_000_000_000L, 300_000_000_000_000L, Long.MAX_VALUE / 1_000, Long.MIN_VALUE / 1_000};
        JsonBytes w = new JsonBytes(32);
        for (long ms : edges) {
            assertTimeAsReference(w, ms);
        }
        for (int i = 0; i < 200_000; i++) {
            long ms = i % 2 == 0 ? 1_700_000_000_000L + r.nextLong(1_000_000_000_000L)
                    : r.nextLong(-70_000_000_000_000L, 260_000_000_000_000L);
            assertTimeAsReference(w, ms);
            assertTimeAsReference(w, ms); // again: the writer's date cache
            assertTimeAsReference(w, ms + r.nextInt(86_400_000)); // often the same day, sometimes the next
        }
    }

    private static void assertTimeAsReference(JsonBytes w, long ms) {
        String reference = IsoTimes.FORMATTER.format(Instant.ofEpochMilli(ms));
        assertEquals(reference, IsoTimes.format(ms), "ms " + ms);
        assertEquals('"' + reference + '"', written(w.reset().time(ms)), "ms " + ms);
    }

    @Test
    void aResetWriterWritesTheNextBodyFromTheStartAndKeepsGrowing() {
        JsonBytes w = new JsonBytes(1);
        w.raw("{\"a\":").number(1).raw('}');
        assertEquals(7, w.size());
        w.reset().raw('[').string("x".repeat(1_000)).raw(']');
        assertEquals("[\"" + "x".repeat(1_000) + "\"]", written(w));
        w.reset().raw("[]");
        assertEquals("[]", written(w));
    }

    @Test
    void theBuffersHoldWhatWasWritten() {
        JsonBytes w = new JsonBytes(64).raw("{\"p\":").decimal(1234).raw(",\"t\":").time(0).raw('}');
        byte[] text = "{\"p\":\"12.34\",\"t\":\"1970-01-01T00:00:00.000Z\"}".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(text, w.toBytes());
        assertEquals(Buffer.buffer(text), w.asBuffer());
        Buffer copy = w.toBuffer();
        ByteBuf direct = w.toPooledDirect();
        try {
            assertArrayEquals(text, ByteBufUtil.getBytes(direct));
        } finally {
            direct.release();
        }
        w.reset().raw("[1]");
        assertEquals(Buffer.buffer(text), copy); // a copy: the writer's reuse does not reach it
        ByteBuf empty = new JsonBytes(1).toPooledDirect();
        try {
            assertEquals(0, empty.readableBytes());
        } finally {
            empty.release();
        }
    }
}
