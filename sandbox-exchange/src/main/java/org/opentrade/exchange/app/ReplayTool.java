package org.opentrade.exchange.app;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.opentrade.exchange.adapter.csv.ReplayCommandParser;
import org.opentrade.exchange.adapter.csv.ReplayEventWriter;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.domain.OrderBook;

/**
 * The exchange's deterministic batch mode (docs/contracts.md, a contract):
 * {@code replay <commands.csv> <events.csv>}. Pure matching — no risk checks, no price bands, no
 * self-trade prevention. Bad rows are REJECTED and processing goes on; only an unreadable input file
 * or an unwritable output file stops the tool (exit code 2).
 */
public final class ReplayTool {
    private ReplayTool() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: replay <commands.csv> <events.csv>");
            System.exit(64);
        }
        try {
            long events = run(Path.of(args[0]), Path.of(args[1]));
            System.err.println("replay: wrote " + events + " events to " + args[1]);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("replay: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Replays a command file into an event file; returns the number of events written. Bytes that are
     * not UTF-8 decode to U+FFFD, so they spoil only the field they are in, never the whole replay.
     */
    public static long run(Path commands, Path events) throws IOException {
        try (Reader in = new InputStreamReader(Files.newInputStream(commands), StandardCharsets.UTF_8);
             Writer out = new BufferedWriter(Files.newBufferedWriter(events, StandardCharsets.UTF_8), 1 << 16)) {
            return run(in, out, org.opentrade.exchange.domain.FastOrderBook::new);
        }
    }

    /** Replays from a reader into a writer on the given book implementation. */
    public static long run(Reader input, Writer output, OrderBook.Factory books) throws IOException {
        BufferedReader in = input instanceof BufferedReader b ? b : new BufferedReader(input, 1 << 16);
        MatchingEngine engine = MatchingEngine.pure(books);
        ReplayCommandParser parser = new ReplayCommandParser();
        ReplayEventWriter writer = new ReplayEventWriter(output, parser);
        writer.writeHeader();
        String line;
        boolean first = true;
        while ((line = in.readLine()) != null) {
            if (first) {
                first = false;
                if (line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (ReplayCommandParser.isHeader(line)) {
                    continue;
                }
            }
            if (line.isBlank()) {
                continue;
            }
            ReplayCommandParser.Row row = parser.parse(line);
            writer.currentRow(row);
            if (row.command() == null) {
                writer.rejectRow(row);
            } else {
                engine.process(row.command(), writer);
            }
        }
        output.flush();
        return writer.eventsWritten();
    }
}
