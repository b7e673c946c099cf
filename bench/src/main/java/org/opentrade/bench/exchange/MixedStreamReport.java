package org.opentrade.bench.exchange;

/**
 * Prints what the benchmark stream contains for both engine modes and checks that replaying it
 * reproduces the generator's end state; the run script calls it so every report shows that the
 * books stayed at their target size. Stream size follows {@link StreamSpec#fromSystemProperties()}.
 */
public final class MixedStreamReport {
    private MixedStreamReport() {
    }

    public static void main(String[] args) {
        StreamSpec spec = StreamSpec.fromSystemProperties();
        for (EngineMode mode : EngineMode.values()) {
            long t0 = System.nanoTime();
            MixedStream stream = MixedStreamGenerator.generate(mode, spec);
            long t1 = System.nanoTime();
            StreamReplayer replayer = new StreamReplayer(stream);
            replayer.process(replayer.remaining(), org.opentrade.exchange.domain.ExchangeListener.NONE);
            replayer.rewind();
            System.out.println(stream.describe());
            System.out.printf("  generated in %d ms; replay reproduced the generator's end state (hash %s)%n",
                    (t1 - t0) / 1_000_000, stream.endHash());
        }
    }
}
