package org.opentrade.trade.domain.intent;

/**
 * Layout of the exchange order ids trade-api hands out: {@code instanceId << 52 | sequence}.
 *
 * <p>Why: ids must stay below 2^62 (the exchange keeps {@code [2^62, 2^63)} for its simulator) and
 * two trade-api instances sharing one exchange must never collide, without talking to each other.
 * 10 bits of instance id (0..1023, a config value unique per instance) leave 52 bits of sequence
 * (4.5 * 10^15 orders per instance), so the largest id is {@code 2^62 - 1}. Instance 0's ids are
 * the plain sequence 1, 2, 3…
 */
public final class ExchangeOrderIds {
    public static final int INSTANCE_BITS = 10;
    public static final int SEQUENCE_BITS = 52;
    public static final int MAX_INSTANCE_ID = (1 << INSTANCE_BITS) - 1;
    /** Largest sequence number of one instance. */
    public static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

    private ExchangeOrderIds() {
    }

    /** The id of the {@code sequence}-th order (from 1) of instance {@code instanceId}. */
    public static long compose(int instanceId, long sequence) {
        requireInstanceId(instanceId);
        if (sequence < 1 || sequence > MAX_SEQUENCE) {
            throw new IllegalStateException("exchange order id sequence out of range [1, 2^52): " + sequence);
        }
        return ((long) instanceId << SEQUENCE_BITS) | sequence;
    }

    public static int instanceOf(long id) {
        return (int) (id >>> SEQUENCE_BITS);
    }

    public static long sequenceOf(long id) {
        return id & MAX_SEQUENCE;
    }

    public static void requireInstanceId(int instanceId) {
        if (instanceId < 0 || instanceId > MAX_INSTANCE_ID) {
            throw new IllegalArgumentException("instance id must be in [0, " + MAX_INSTANCE_ID + "], got "
                    + instanceId);
        }
    }
}
