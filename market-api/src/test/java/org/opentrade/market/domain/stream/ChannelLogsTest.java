package org.opentrade.market.domain.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChannelLogsTest {
    private final ChannelSource<String> source = new ChannelSource<>() {
        @Override
        public Optional<String> check(String channel) {
            return StreamChannel.check(channel, Set.of("600000.SH", "000001.SZ")::contains);
        }

        @Override
        public String snapshot(String channel) {
            return null;
        }

        /** Trades of 600000.SH are numbered by the source: 10 so far, the last three still known. */
        @Override
        public Origin<String> origin(String channel) {
            return channel.equals("trades:600000.SH")
                    ? new Origin<>(10, java.util.List.of("t8", "t9", "t10"), new long[] {1_000, 1_001, 1_002}) : null;
        }
    };

    @Test
    void aChannelTheSourceNumbersStartsAtItsOriginWithItsRecentMessagesEncodedWithTheirSeqs() {
        ChannelLogs<String> logs = new ChannelLogs<>(source, RetentionOptions.defaults(),
                (channel, seq, message) -> seq + ":" + message);
        ChannelLog<String> log = logs.open("trades:600000.SH").log();
        assertTrue(log.stable());
        assertEquals(10, log.head());
        Replay<String> replay = log.since(7, 1_500);
        assertTrue(replay.inWindow());
        assertEquals(java.util.List.of("8:t8", "9:t9", "10:t10"), replay.messages());
        assertFalse(log.since(6, 1_500).inWindow(), "seq 7 is before what the source still knew");
        assertFalse(log.since(11, 1_500).inWindow(), "ahead of the head");
        assertEquals(11, log.append("11:t11", 1_600));

        log.skipTo(20);
        assertEquals(20, log.head());
        assertFalse(log.since(11, 1_700).inWindow(), "nothing is vouched for across a skip");
        assertTrue(log.since(20, 1_700).inWindow());

        ChannelLog<String> own = logs.open("trades:000001.SZ").log();
        assertFalse(own.stable(), "no origin: numbered by this process from 1");
        assertEquals(0, own.head());
    }

    @Test
    void aRefusalIsAskedWithoutOpeningALog() {
        ChannelLogs<String> logs = new ChannelLogs<>(source, RetentionOptions.defaults());
        assertNull(logs.refusal("quotes:600000.SH"));
        assertTrue(logs.refusal("quotes:NOPE.SH").contains("unknown symbol"), logs.refusal("quotes:NOPE.SH"));
        assertEquals("channel is null", logs.refusal(null));
        assertEquals(0, logs.size(), "nothing opened");
        assertNull(logs.find("quotes:600000.SH"));
    }

    @Test
    void aValidChannelGetsOneSharedLog() {
        ChannelLogs<String> logs = new ChannelLogs<>(source, RetentionOptions.defaults());
        ChannelLogs.Opened<String> first = logs.open("trades:600000.SH");
        assertTrue(first.ok());
        assertSame(first.log(), logs.open("trades:600000.SH").log());
        assertSame(first.log(), logs.find("trades:600000.SH"));
    }

    @Test
    void invalidChannelsGetAReasonAndNoLog() {
        ChannelLogs<String> logs = new ChannelLogs<>(source, RetentionOptions.defaults());
        ChannelLogs.Opened<String> bad = logs.open("trades:999999.SH");
        assertFalse(bad.ok());
        assertEquals("unknown symbol in channel 'trades:999999.SH'", bad.error());
        assertFalse(logs.open("klines:2m:600000.SH").ok());
        assertFalse(logs.open(null).ok());
        assertNull(logs.find("trades:999999.SH"));
        assertEquals(0, logs.size());
    }

    @Test
    void theNumberOfLogsIsBoundedByValidChannelsWhateverCallersSend() {
        ChannelLogs<String> logs = new ChannelLogs<>(source, RetentionOptions.defaults());
        for (int i = 0; i < 10_000; i++) {
            logs.open("trades:" + i + ".SH");
            logs.open("klines:1m:600000.SH");
            logs.open("depth:000001.SZ");
        }
        assertEquals(2, logs.size());
    }
}
