package org.opentrade.common.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartitionsTest {
    @Test
    void aDevelopersPartitionIsFixedByTheirIdAndTheCount() {
        int p = Partitions.of("dev_7f3a", 4);
        for (int i = 0; i < 10; i++) {
            assertEquals(p, Partitions.of("dev_7f3a", 4));
        }
        assertEquals(1, Partitions.of("anyone", 1));
        // CRC-32 of "dev_7f3a" in UTF-8, mod 4, plus 1: the same on every gateway and every JVM
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("dev_7f3a".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals((int) (crc.getValue() % 4) + 1, p);
    }

    @Test
    void accountsSpreadEvenlyOverThePartitions() {
        int n = 8;
        int[] count = new int[n + 1];
        for (int i = 0; i < 80_000; i++) {
            int p = Partitions.of("dev_" + Integer.toHexString(i * 7919), n);
            assertTrue(p >= 1 && p <= n, "in range: " + p);
            count[p]++;
        }
        for (int p = 1; p <= n; p++) {
            assertTrue(Math.abs(count[p] - 10_000) < 1_000, "partition " + p + " has " + count[p] + " of 80 000");
        }
    }

    @Test
    void aCountOutsideTheBoundsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Partitions.of("x", 0));
        assertThrows(IllegalArgumentException.class, () -> Partitions.of("x", ServiceInstance.MAX_PARTITIONS + 1));
    }
}
