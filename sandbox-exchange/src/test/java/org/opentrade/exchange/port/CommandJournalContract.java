package org.opentrade.exchange.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.CommandType;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;

/**
 * What every {@link CommandJournal} promises, run against the in-memory journal and each real one
 * (extend it and implement the two factory methods). Tests use the journal from one thread, as the
 * shard does.
 */
public abstract class CommandJournalContract {
    /** Commands in one test: enough for a real journal with small segments to roll several times. */
    protected static final int COMMANDS = 300;

    private CommandJournal journal;

    /** A new, empty journal over fresh storage. Called once per test. */
    protected abstract CommandJournal newJournal();

    /**
     * Closes {@code journal} (a clean shutdown) and opens its storage again. A journal with nothing
     * to reopen (in memory) returns the same instance, so every test here also holds for it.
     */
    protected abstract CommandJournal reopen(CommandJournal journal);

    @BeforeEach
    void openJournal() {
        journal = newJournal();
    }

    @AfterEach
    void closeJournal() {
        journal.close();
    }

    /** A different command per {@code n}, using every field, with and without a trace context. */
    protected static Command command(long n) {
        Command c = switch ((int) (n % 4)) {
            case 0 -> Command.newOrder(n, "acct-" + n, "600000.SH", n % 8 == 0 ? Side.BUY : Side.SELL,
                    OrderType.STOP_LIMIT, TimeInForce.DAY, 1000 + n, 990, 100 * n, 1_700_000_000_000L + n);
            case 1 -> Command.cancel(n, "000001.SZ", 1_700_000_000_000L + n);
            case 2 -> Command.replace(n, "300750.SZ", 2000 + n, 300, 1_700_000_000_000L + n);
            default -> Command.tick(1_700_000_000_000L + n);
        };
        return n % 3 == 0 ? c.withTraceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01") : c;
    }

    private void appendCommitted(long from, long to, int perCommit) {
        for (long n = from; n <= to; n++) {
            assertEquals(n, journal.append(command(n)));
            if (n % perCommit == 0) {
                journal.commit();
            }
        }
        journal.commit();
    }

    private List<Command> replay(long afterSeq) {
        List<Command> out = new ArrayList<>();
        journal.replay(afterSeq, out::add);
        return out;
    }

    private static List<Command> commands(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(CommandJournalContract::command).toList();
    }

    @Test
    void emptyJournalStartsBeforeSequenceOne() {
        assertEquals(0, journal.lastSeq());
        assertEquals(1, journal.firstSeq());
        assertEquals(List.of(), replay(0));
    }

    @Test
    void appendNumbersCommandsFromOneWithoutGaps() {
        for (long n = 1; n <= 50; n++) {
            assertEquals(n, journal.append(command(n)));
            assertEquals(n, journal.lastSeq());
        }
        journal.commit();
        assertEquals(1, journal.firstSeq());
    }

    @Test
    void replayHandsEveryCommittedCommandAfterTheGivenSeqInOrder() {
        appendCommitted(1, COMMANDS, 7);
        assertEquals(commands(1, COMMANDS), replay(0));
        assertEquals(commands(101, COMMANDS), replay(100));
        assertEquals(List.of(command(COMMANDS)), replay(COMMANDS - 1));
        assertEquals(List.of(), replay(COMMANDS));
    }

    @Test
    void aResetForgetsEveryCommandAndNumberingContinuesAfterTheGivenSeqAlsoAfterReopen() {
        appendCommitted(1, 40, 7);
        journal.resetAfter(1_000);
        assertEquals(1_000, journal.lastSeq());
        assertEquals(1_001, journal.firstSeq());
        assertEquals(List.of(), replay(0));
        assertEquals(1_001, journal.append(command(1_001)));
        assertEquals(1_002, journal.append(command(1_002)));
        journal.commit();
        journal = reopen(journal);
        assertEquals(1_002, journal.lastSeq());
        assertEquals(1_001, journal.firstSeq());
        assertEquals(commands(1_001, 1_002), replay(1_000));
        assertEquals(commands(1_002, 1_002), replay(1_001));
        assertEquals(1_003, journal.append(command(1_003)));
    }

    @Test
    void everyFieldOfEveryCommandTypeReadsBackEqual() {
        Command odd = new Command(CommandType.NEW_ORDER, 5, "账户-α", "600519.SH", null, null, null, 0, 0, -3, 0, null);
        List<Command> all = new ArrayList<>(commands(1, 8));
        all.add(odd);
        all.forEach(journal::append);
        journal.commit();
        assertEquals(all, replay(0));
    }

    @Test
    void committedCommandsReadBackAfterReopenAndNumberingContinues() {
        appendCommitted(1, 120, 10);
        journal = reopen(journal);
        assertEquals(120, journal.lastSeq());
        assertEquals(commands(1, 120), replay(0));
        assertEquals(121, journal.append(command(121)));
        journal.commit();
        journal = reopen(journal);
        assertEquals(commands(100, 121), replay(99));
    }

    @Test
    void deleteUpToNeverForgetsLaterCommandsAndFirstSeqOnlyMovesForward() {
        appendCommitted(1, COMMANDS, 10);
        long previousFirst = journal.firstSeq();
        long maxUpTo = 0;
        for (long upTo : new long[] {0, 1, 35, 35, 120, 60, 199, 250}) {
            journal.deleteUpTo(upTo);
            maxUpTo = Math.max(maxUpTo, upTo);
            long first = journal.firstSeq();
            assertTrue(first >= previousFirst, "firstSeq went back from " + previousFirst + " to " + first);
            assertTrue(first <= maxUpTo + 1, "deleteUpTo(" + maxUpTo + ") forgot up to " + (first - 1));
            assertEquals(commands(first, COMMANDS), replay(first - 1), "after deleteUpTo(" + upTo + ")");
            long after = Math.max(upTo, first - 1);
            assertEquals(commands(after + 1, COMMANDS), replay(after));
            assertEquals(COMMANDS, journal.lastSeq());
            previousFirst = first;
        }
    }

    @Test
    void pruningIsKeptAcrossReopen() {
        appendCommitted(1, COMMANDS, 10);
        journal.deleteUpTo(200);
        long first = journal.firstSeq();
        journal = reopen(journal);
        assertTrue(journal.firstSeq() >= first, "firstSeq went back on reopen: " + journal.firstSeq());
        assertTrue(journal.firstSeq() <= 201);
        assertEquals(COMMANDS, journal.lastSeq());
        assertEquals(commands(201, COMMANDS), replay(200));
    }

    @Test
    void deletingEverythingKeepsTheNumbering() {
        appendCommitted(1, COMMANDS, 10);
        journal.deleteUpTo(COMMANDS);
        assertTrue(journal.firstSeq() <= COMMANDS + 1);
        assertEquals(COMMANDS, journal.lastSeq());
        assertEquals(List.of(), replay(COMMANDS));
        assertEquals(COMMANDS + 1, journal.append(command(COMMANDS + 1)));
        journal.commit();
        assertEquals(List.of(command(COMMANDS + 1)), replay(COMMANDS));
        journal = reopen(journal);
        assertEquals(COMMANDS + 1, journal.lastSeq());
        assertEquals(List.of(command(COMMANDS + 1)), replay(COMMANDS));
    }

    @Test
    void deletingBeyondTheLastCommandDoesNotSkipSequences() {
        appendCommitted(1, 20, 5);
        journal.deleteUpTo(1_000);
        assertTrue(journal.firstSeq() <= 21);
        assertEquals(21, journal.append(command(21)));
    }
}
