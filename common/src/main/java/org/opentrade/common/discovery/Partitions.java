package org.opentrade.common.discovery;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Account partitions of a service whose state is per account (trade-api: an account's intents,
 * client order ids and their idempotency live in the instance that took them). A developer's
 * partition is fixed by their id and the number of partitions, so every gateway sends one account
 * to the same instance, and that instance refuses callers of other partitions. Changing the number
 * of partitions moves accounts: do it only with every instance stopped and their state migrated.
 */
public final class Partitions {
    private Partitions() {
    }

    /** The partition (1..{@code partitions}) of {@code developerId}; CRC-32 of its UTF-8 bytes. */
    public static int of(String developerId, int partitions) {
        if (partitions < 1 || partitions > ServiceInstance.MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be 1.." + ServiceInstance.MAX_PARTITIONS + ": " + partitions);
        }
        CRC32 crc = new CRC32();
        crc.update(developerId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % partitions) + 1;
    }
}
