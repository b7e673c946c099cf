package org.opentrade.trade.adapter.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A client frame that names a member twice is refused: its meaning would be whichever the parser keeps. */
class ClientFrameDecoderTest {
    private final ClientFrameDecoder decoder = new ClientFrameDecoder();

    @Test
    void aFrameNamingAMemberTwiceIsInvalidAndAPlainOneDecodes() {
        ClientRequest.Invalid op = assertInstanceOf(ClientRequest.Invalid.class,
                decoder.decode("{\"op\":\"subscribe\",\"op\":\"ping\"}"));
        assertTrue(op.message().contains("'op' is named twice"), op.message());
        assertInstanceOf(ClientRequest.Invalid.class, decoder.decode(
                "{\"op\":\"subscribe\",\"channels\":[\"orders\"],\"resume\":{\"orders\":9,\"orders\":8}}"));
        ClientRequest.Subscribe ok = assertInstanceOf(ClientRequest.Subscribe.class,
                decoder.decode("{\"op\":\"subscribe\",\"channels\":[\"orders\"],\"resume\":{\"orders\":9}}"));
        assertEquals(9, ok.resume());
        assertInstanceOf(ClientRequest.Ping.class, decoder.decode("{\"op\":\"ping\"}"));
    }

    /** A misspelled resume was a fresh subscription the client took for a resume: what it missed was lost unsaid. */
    @Test
    void aMemberTheOpDoesNotTakeIsRefusedNotIgnored() {
        ClientRequest.Invalid resum = assertInstanceOf(ClientRequest.Invalid.class, decoder.decode(
                "{\"op\":\"subscribe\",\"channels\":[\"orders\"],\"resum\":{\"orders\":5}}"));
        assertEquals("unknown member 'resum' in the subscribe frame; allowed: op, channels, resume, epoch", resum.message());
        ClientRequest.Invalid unsubscribe = assertInstanceOf(ClientRequest.Invalid.class, decoder.decode(
                "{\"op\":\"unsubscribe\",\"channels\":[\"orders\"],\"resume\":{\"orders\":5}}"));
        assertEquals("unknown member 'resume' in the unsubscribe frame; allowed: op, channels", unsubscribe.message());
        assertInstanceOf(ClientRequest.Subscribe.class, decoder.decode(
                "{\"op\":\"subscribe\",\"channels\":[\"orders\"],\"resume\":{\"orders\":5},\"epoch\":\"abc\"}"));
        assertInstanceOf(ClientRequest.Unsubscribe.class, decoder.decode("{\"op\":\"unsubscribe\",\"channels\":[\"orders\"]}"));
    }
}
