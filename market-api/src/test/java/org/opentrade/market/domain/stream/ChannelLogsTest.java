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
    private final ChannelSource<Object> source = new ChannelSource<>() {
        @Override
        public Optional<String> check(String channel) {
            return StreamChannel.check(channel, Set.of("600000.SH", "000001.SZ")::contains);
        }

        @Override
        public Object snapshot(String channel) {
            return null;
        }
    };

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
