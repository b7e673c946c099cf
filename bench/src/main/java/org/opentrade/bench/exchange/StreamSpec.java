package org.opentrade.bench.exchange;

/**
 * What mixed stream to generate. Same spec, same commands: the stream is a pure function of it.
 *
 * @param seed            random seed
 * @param symbols         number of books the stream spreads over (uniformly)
 * @param restingPerBook  steady-state resting orders per book the stream keeps
 * @param length          measured commands (a multiple of {@link #BATCH})
 * @param settle          mixed commands run after the books are built and before the measured part,
 *                        so the measured part starts from a steady-state book shape, not a fresh one
 */
public record StreamSpec(long seed, int symbols, int restingPerBook, int length, int settle) {
    /** Benchmarks hand the engine commands in batches of this size; the stream length is a multiple. */
    public static final int BATCH = 16_384;
    public static final long DEFAULT_SEED = 20_240_601L;
    public static final int DEFAULT_SYMBOLS = 8;
    public static final int DEFAULT_RESTING_PER_BOOK = 1_000;
    /** 64 batches, about 1 M commands (~90 MB of pre-built commands): long enough to cycle rarely. */
    public static final int DEFAULT_LENGTH = 64 * BATCH;
    public static final int DEFAULT_SETTLE = 200_000;

    public StreamSpec {
        if (symbols < 1 || restingPerBook < 10 || settle < 0) {
            throw new IllegalArgumentException("stream spec needs symbols >= 1, restingPerBook >= 10, settle >= 0");
        }
        if (length < BATCH || length % BATCH != 0) {
            throw new IllegalArgumentException("stream length must be a positive multiple of " + BATCH + ", was "
                    + length);
        }
    }

    public static StreamSpec defaults() {
        return new StreamSpec(DEFAULT_SEED, DEFAULT_SYMBOLS, DEFAULT_RESTING_PER_BOOK, DEFAULT_LENGTH, DEFAULT_SETTLE);
    }

    /** Defaults, overridden by system properties {@code stream.seed|symbols|depth|length|settle}. */
    public static StreamSpec fromSystemProperties() {
        StreamSpec d = defaults();
        return new StreamSpec(Long.getLong("stream.seed", d.seed()),
                Integer.getInteger("stream.symbols", d.symbols()),
                Integer.getInteger("stream.depth", d.restingPerBook()),
                Integer.getInteger("stream.length", d.length()),
                Integer.getInteger("stream.settle", d.settle()));
    }
}
