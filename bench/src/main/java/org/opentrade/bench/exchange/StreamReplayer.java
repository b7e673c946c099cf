package org.opentrade.bench.exchange;

import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.domain.ExchangeListener;
import org.opentrade.exchange.domain.MatchingEngine;

/**
 * Feeds a {@link MixedStream}'s measured commands to an engine that starts in the stream's steady
 * state. When the stream is used up, {@link #rewind} (called outside measurement) checks that the
 * engine ended in exactly the state the generator saw, then restores the start state, so every
 * measured command runs against a steady-state book. Single-threaded.
 */
public final class StreamReplayer {
    private final MixedStream stream;
    private final Command[] commands;
    private MatchingEngine engine;
    private int next;
    private int passes;

    public StreamReplayer(MixedStream stream) {
        this.stream = stream;
        this.commands = stream.commands();
        this.engine = stream.startEngine();
    }

    public MatchingEngine engine() {
        return engine;
    }

    public int remaining() {
        return commands.length - next;
    }

    /** Completed passes over the whole stream (each verified against the generator's end state). */
    public int passes() {
        return passes;
    }

    /** Hot path: processes the next {@code n} commands; the caller ensures {@code n <= remaining()}. */
    public void process(int n, ExchangeListener listener) {
        Command[] cs = commands;
        MatchingEngine e = engine;
        int i = next;
        for (int end = i + n; i < end; i++) {
            e.process(cs[i], listener);
        }
        next = i;
    }

    /** The next command, advancing the cursor; the caller processes it (or journals it first). */
    public Command next() {
        return commands[next++];
    }

    /**
     * Starts over from the stream's start state. If the stream was consumed completely, first verifies
     * the engine's state hash against the generator's: a mismatch means the measured run was not the
     * intended stream, and fails loudly.
     */
    public void rewind() {
        if (next == commands.length) {
            String hash = engine.stateHash();
            if (!hash.equals(stream.endHash())) {
                throw new IllegalStateException("engine diverged from the generated stream: state hash " + hash
                        + ", expected " + stream.endHash());
            }
            passes++;
        }
        engine = stream.startEngine();
        next = 0;
    }
}
