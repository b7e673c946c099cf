package org.opentrade.market.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A client frame that names a member twice is refused: its meaning would be whichever the parser keeps. */
class ClientFrameDecoderTest {
    private final ClientFrameDecoder decoder = new ClientFrameDecoder(50);

    @Test
    void aFrameNamingAMemberTwiceIsInvalidAndAPlainOneDecodes() {
        ClientRequest.Invalid op = assertInstanceOf(ClientRequest.Invalid.class,
                decoder.decode("{\"op\":\"subscribe\",\"op\":\"ping\"}"));
        assertTrue(op.message().contains("'op' is named twice"), op.message());
        assertInstanceOf(ClientRequest.Invalid.class, decoder.decode(
                "{\"op\":\"subscribe\",\"channels\":[\"quotes:600000.SH\"],\"channels\":[\"quotes:600519.SH\"]}"));
        assertInstanceOf(ClientRequest.Invalid.class, decoder.decode(
                "{\"op\":\"subscribe\",\"channels\":[\"trades:600000.SH\"],\"resume\":{\"trades:600000.SH\":9,"
                        + "\"trades:600000.SH\":8}}"));
        ClientRequest.Subscribe ok = assertInstanceOf(ClientRequest.Subscribe.class,
                decoder.decode("{\"op\":\"subscribe\",\"channels\":[\"quotes:600519.SH\"]}"));
        assertEquals(List.of("quotes:600519.SH"), ok.channels());
        assertInstanceOf(ClientRequest.Invalid.class, decoder.decode("[1]"));
    }

    /** A misspelled resume was a fresh subscription the client took for a resume: what it missed was lost unsaid. */
    @Test
    void aMemberTheOpDoesNotTakeIsRefusedNotIgnored() {
        ClientRequest.Invalid resum = assertInstanceOf(ClientRequest.Invalid.class, decoder.decode(
                "{\"op\":\"subscribe\",\"channels\":[\"trades:600000.SH\"],\"resum\":{\"trades:600000.SH\":5}}"));
        assertEquals("unknown member 'resum' in the subscribe frame; allowed: op, channels, resume, epoch", resum.message());
        ClientRequest.Invalid unsubscribe = assertInstanceOf(ClientRequest.Invalid.class, decoder.decode(
                "{\"op\":\"unsubscribe\",\"channels\":[\"trades:600000.SH\"],\"resume\":{\"trades:600000.SH\":5}}"));
        assertEquals("unknown member 'resume' in the unsubscribe frame; allowed: op, channels", unsubscribe.message());
        assertInstanceOf(ClientRequest.Subscribe.class, decoder.decode(
                "{\"op\":\"subscribe\",\"channels\":[\"trades:600000.SH\"],\"resume\":{\"trades:600000.SH\":5},\"epoch\":\"abc\"}"));
        assertInstanceOf(ClientRequest.Unsubscribe.class, decoder.decode("{\"op\":\"unsubscribe\",\"channels\":[\"trades:600000.SH\"]}"));
    }
}
