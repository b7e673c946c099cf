package org.opentrade.bench.exchange;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.domain.MatchingEngine;

/**
 * A pre-generated mixed command stream and the engine state it starts from. Everything is built
 * before measurement, so a benchmark pays only for {@code process(Command, listener)}.
 *
 * <p>{@link #warmup()} (build the books, then settle into steady state) leads from an empty engine
 * to the state held in the snapshot; {@link #commands()} is the measured part and leads from that
 * state to the one whose hash is {@link #endHash()}. Replaying the measured part on
 * {@link #startEngine()} therefore reproduces exactly what the generator saw.
 */
public final class MixedStream {
    private final EngineMode mode;
    private final StreamSpec spec;
    private final String[] symbols;
    private final Command[] warmup;
    private final Command[] commands;
    private final byte[] startSnapshot;
    private final String endHash;
    private final StreamStats stats;

    MixedStream(EngineMode mode, StreamSpec spec, String[] symbols, Command[] warmup, Command[] commands,
                byte[] startSnapshot, String endHash, StreamStats stats) {
        this.mode = mode;
        this.spec = spec;
        this.symbols = symbols;
        this.warmup = warmup;
        this.commands = commands;
        this.startSnapshot = startSnapshot;
        this.endHash = endHash;
        this.stats = stats;
    }

    public EngineMode mode() {
        return mode;
    }

    public StreamSpec spec() {
        return spec;
    }

    public String[] symbols() {
        return symbols.clone();
    }

    /** Commands that build the books from empty and settle them (not measured). Shared array: do not modify. */
    public Command[] warmup() {
        return warmup;
    }

    /** The measured commands. Shared array: do not modify. */
    public Command[] commands() {
        return commands;
    }

    /** State hash the engine must have after the whole measured part. */
    public String endHash() {
        return endHash;
    }

    public StreamStats stats() {
        return stats;
    }

    /** A fresh engine in the steady state the measured part starts from (restored from a snapshot: fast). */
    public MatchingEngine startEngine() {
        MatchingEngine engine = mode.newEngine(symbols);
        try {
            engine.restoreSnapshot(new DataInputStream(new ByteArrayInputStream(startSnapshot)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return engine;
    }

    public String describe() {
        return "mixed stream: mode=" + mode + " seed=" + spec.seed() + " symbols=" + symbols.length
                + " measured commands=" + commands.length + " (warm-up " + warmup.length + " not measured)"
                + System.lineSeparator() + stats.describe(spec.restingPerBook());
    }
}
