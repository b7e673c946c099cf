package org.opentrade.trade.adapter.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;

/**
 * Hands out exchange order ids from blocks reserved durably in a small file
 * {@code [int magic][short version][short 0][int instanceId][long reservedUpTo][int crc32c]}:
 * a block is on disk before its first id is handed out, and on open the sequence continues above the
 * recorded high-water mark, so an id is never handed out twice, even after a crash (the unused rest
 * of the last block is skipped).
 *
 * <p>Threads: any; synchronized. Blocks the caller for one atomic file write once per block.
 */
final class ExchangeIdReservations {
    static final String FILE = "exchange-ids";
    private static final int MAGIC = 0x4F544944; // "OTID"
    private static final short VERSION = 1;
    private static final int SIZE = 4 + 2 + 2 + 4 + 8 + 4;

    private final Path file;
    private final int instanceId;
    private final int block;
    private long reservedUpTo;
    private long next;

    ExchangeIdReservations(Path dir, int instanceId, int block) {
        this.file = dir.resolve(FILE);
        this.instanceId = instanceId;
        this.block = block;
        try {
            Files.deleteIfExists(file.resolveSibling(FILE + AtomicFiles.TMP_SUFFIX));
            reservedUpTo = read();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        next = reservedUpTo + 1;
    }

    synchronized long next() {
        if (next > reservedUpTo) {
            reserve();
        }
        return ExchangeOrderIds.compose(instanceId, next++);
    }

    private void reserve() {
        long upTo = Math.min(ExchangeOrderIds.MAX_SEQUENCE, reservedUpTo + block);
        if (upTo < next) {
            throw new IllegalStateException("exchange order ids of instance " + instanceId + " are exhausted");
        }
        ByteBuffer buf = ByteBuffer.allocate(SIZE);
        buf.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putInt(instanceId).putLong(upTo);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, SIZE - 4);
        buf.putInt((int) crc.getValue());
        try {
            AtomicFiles.write(file, buf.array(), () -> { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reserve exchange order ids in " + file, e);
        }
        reservedUpTo = upTo;
    }

    /** The recorded high-water mark, 0 when none. */
    private long read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, Math.max(0, Math.min(bytes.length, SIZE) - 4));
        if (bytes.length != SIZE || buf.getInt(0) != MAGIC || buf.getShort(4) != VERSION
                || buf.getInt(SIZE - 4) != (int) crc.getValue()) {
            throw new CorruptLogException(file + " is not an intact exchange-id reservation (written atomically, so"
                    + " this is outside damage); restore it, or write one above every exchange order id ever used");
        }
        int storedInstance = buf.getInt(8);
        if (storedInstance != instanceId) {
            throw new CorruptLogException(file + " belongs to trade-api instance " + storedInstance
                    + ", this one is configured as instance " + instanceId
                    + ": use the matching instance id or a fresh data directory");
        }
        return buf.getLong(12);
    }
}
