package org.opentrade.sdk.stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One data frame of a stream, delivered once and in {@code seq} order per channel.
 *
 * @param channel e.g. {@code orders}, {@code trades:600000.SH}
 * @param seq the channel's message number (gap-free; snapshot frames repeat the head)
 * @param type the order stream's {@code order}, {@code fill} or {@code snapshot}; null on the market stream
 * @param snapshot true for a snapshot frame: state as of {@code seq}, not an update
 * @param gap true for a snapshot sent because the updates since the last one delivered could not be
 *     replayed (a resume too old, or the server restarted): messages were lost in between; rebuild
 *     state from this snapshot (on {@code trades:} channels {@code data} is null: trades were missed)
 * @param data the frame's {@code data} (an {@code Order}, a {@code Fill}, a {@code Trade}, ...)
 */
public record StreamMessage(String channel, long seq, String type, boolean snapshot, boolean gap, JsonNode data) {
}
