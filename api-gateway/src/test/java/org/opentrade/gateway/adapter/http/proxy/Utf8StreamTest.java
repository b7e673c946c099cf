package org.opentrade.gateway.adapter.http.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8StreamTest {

    private static boolean valid(byte[] bytes, int... cuts) {
        Utf8Stream s = new Utf8Stream();
        int from = 0;
        for (int cut : cuts) {
            if (!s.accept(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, cut)))) {
                return false;
            }
            from = cut;
        }
        return s.accept(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, bytes.length))) && s.complete();
    }

    private static boolean jdkSaysValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void textIsValidWhereverItsFramesCutIt() {
        byte[] text = "{\"op\":\"subscribe\",\"channels\":[\"trades:600000.SH\"],\"note\":\"浦发银行 €1 😀\"}"
                .getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= text.length; cut++) {
            assertTrue(valid(text, cut), "cut at " + cut);
        }
    }

    @Test
    void overlongSurrogatesBeyondTheRangeStrayAndTruncatedBytesAreNot() {
        assertFalse(valid(bytes(0xC0, 0xAF)), "overlong '/'");
        assertFalse(valid(bytes(0xE0, 0x80, 0xAF)), "overlong 3 bytes");
        assertFalse(valid(bytes(0xF0, 0x80, 0x80, 0xAF)), "overlong 4 bytes");
        assertFalse(valid(bytes(0xED, 0xA0, 0x80)), "a surrogate (U+D800)");
        assertFalse(valid(bytes(0xF4, 0x90, 0x80, 0x80)), "U+110000");
        assertFalse(valid(bytes(0xF5, 0x80, 0x80, 0x80)), "F5 leads nothing");
        assertFalse(valid(bytes(0x41, 0x80)), "a continuation byte with no lead");
        assertFalse(valid(bytes(0xE2, 0x82)), "a character cut off at the message's end");
        assertFalse(valid(bytes(0xE2, 0x82), 1), "also when cut between frames");
        assertTrue(valid(bytes(0xF4, 0x8F, 0xBF, 0xBF), 2), "U+10FFFF, split");
        assertTrue(valid(new byte[0]), "an empty message");
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnRandomBytesAndCuts() {
        Random random = new Random(20261205);
        int validSeen = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[1 + random.nextInt(8)];
            for (int j = 0; j < b.length; j++) {
                // Mostly bytes that lead or continue characters, so both answers come up often.
                b[j] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            boolean expected = jdkSaysValid(b);
            validSeen += expected ? 1 : 0;
            assertEquals(expected, valid(b, random.nextInt(b.length + 1)), () -> java.util.HexFormat.of().formatHex(b));
        }
        assertTrue(validSeen > 1_000, "the sample held valid text too: " + validSeen);
    }
}
