package org.opentrade.trade.port;

import java.io.IOException;
import java.util.List;

/**
 * The answers of the mutations sent with an {@code Idempotency-Key} (cancel, cancel-all, replace, reset, kill
 * switch), kept where every process that may serve the instance finds them: a file of the data directory with
 * the file store, Redis with the Redis store. So a client that lost its answer in a crash or a takeover and
 * retries gets the first answer again, instead of the mutation running a second time (a cancel-all cancelling
 * the orders placed since, a reset wiping the account again, a cancel answered "not open"). New orders need
 * none of this: their keys are in the intent log.
 *
 * <p>An answer is written after it is sent, without waiting: a process that dies between the mutation and its
 * record loses the record, and a retry of that one mutation runs again, as it did before the store existed. What
 * a client can have received is recorded in that same instant, so the window is the crash's own.
 *
 * <p>Kept {@link #KEPT_MILLIS} (24 h), and bounded as the in-memory cache they refill at start, by
 * {@link FairlyBounded}: at most {@link #MAX_PER_ACCOUNT} per account (its newest), and past {@link #MAX_KEPT}
 * answers or {@link #MAX_BYTES} the oldest of the account holding the most (answers, or bytes) goes. So a
 * developer sending keyed mutations by the ten thousand pushes out only their own answers, never those of an
 * account holding fewer (a store that kept the newest whoever sent them let one developer push every other
 * one's answers out, and their retries after a restart then ran again).
 * Thread-safe; {@link #record} never blocks.
 */
public interface MutationAnswers extends AutoCloseable {
    /** How long an answer is kept. */
    long KEPT_MILLIS = 24 * 3_600_000L;
    /** Answers kept at most, all accounts together. */
    int MAX_KEPT = 100_000;
    /** Answers kept at most per account (its newest). */
    int MAX_PER_ACCOUNT = 1_000;
    /**
     * The longest answer body recorded, in characters (a cancel-all of about a hundred orders): anything longer is
     * not recorded, and its retry after a restart runs again.
     */
    int MAX_BODY_CHARS = 64 * 1024;
    /**
     * The store's size at most, in bytes of its lines, all accounts together (the newest kept): what callers send
     * cannot grow it past this (100 000 answers of a typical half a kilobyte take a fifth of it).
     */
    long MAX_BYTES = 256L * 1024 * 1024;

    /**
     * How much a store keeps at most: {@code maxKept} answers and {@code maxBytes} of their lines, all accounts
     * together, and {@code perAccount} answers of one account ({@link FairlyBounded}).
     */
    record Bounds(int maxKept, long maxBytes, int perAccount) {
        /** {@link #MAX_KEPT}, {@link #MAX_BYTES} and {@link #MAX_PER_ACCOUNT}. */
        public static final Bounds DEFAULT = new Bounds(MAX_KEPT, MAX_BYTES, MAX_PER_ACCOUNT);

        public Bounds {
            if (maxKept < 1 || maxBytes < 1 || perAccount < 1 || perAccount > maxKept) {
                throw new IllegalArgumentException("a store keeps at least 1 answer and 1 byte, and per account at least"
                        + " 1 and at most all, got " + maxKept + ", " + maxBytes + " and " + perAccount);
            }
        }

        /** With as many per account as {@link #MAX_PER_ACCOUNT}, or {@code maxKept} if fewer. */
        public Bounds(int maxKept, long maxBytes) {
            this(maxKept, maxBytes, Math.min(MAX_PER_ACCOUNT, maxKept));
        }
    }

    /**
     * One answer.
     *
     * @param account     the caller's account
     * @param key         the {@code Idempotency-Key} (1 to 128 visible ASCII characters)
     * @param fingerprint hex SHA-256 of what the request is compared by (method, path, query, body)
     * @param status      the HTTP status answered
     * @param body        the JSON body answered, encoded on one line
     * @param at          when, epoch ms
     */
    record Answer(String account, String key, String fingerprint, int status, String body, long at) {
        public Answer {
            if (account.indexOf('\t') >= 0 || account.indexOf('\n') >= 0 || key.indexOf('\t') >= 0
                    || key.indexOf('\n') >= 0 || body.indexOf('\n') >= 0 || fingerprint.indexOf('\t') >= 0) {
                throw new IllegalArgumentException("an answer's fields hold no tab or line break (the body none of the"
                        + " latter)");
            }
        }

        /** The bytes its {@link #line} takes, line break included (UTF-8). */
        public long bytes() {
            return line().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L;
        }

        /** {@code at TAB account TAB key TAB fingerprint TAB status TAB body}: one line, no line break. */
        public String line() {
            return at + "\t" + account + "\t" + key + "\t" + fingerprint + "\t" + status + "\t" + body;
        }

        /** The answer a {@link #line} holds, or null for anything else (a line torn by a crash). */
        public static Answer parse(String line) {
            String[] f = line.split("\t", 6);
            if (f.length != 6 || f[1].isEmpty() || f[2].isEmpty() || !f[5].startsWith("{") || !f[5].endsWith("}")) {
                return null;
            }
            try {
                return new Answer(f[1], f[2], f[3], Integer.parseInt(f[4]), f[5], Long.parseLong(f[0]));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /**
     * The answers recorded less than {@link #KEPT_MILLIS} before {@code now}, within the bounds as
     * {@link Newest} keeps them, oldest first. For start-up, before serving; blocks on its store.
     */
    List<Answer> load(long now) throws IOException;

    /** Records {@code answer} on the store's own thread or connection: returns at once; a failure is logged. */
    void record(Answer answer);

    /** Writes what is queued, then releases the store. */
    @Override
    void close();

    /**
     * The answers within the retention and the bounds ({@link FairlyBounded}), fed in record order one at a time (a
     * store read as a stream holds no more than the bounds: answers are let go as newer ones arrive). Not
     * thread-safe.
     */
    final class Newest {
        private final long now;
        private final FairlyBounded<Answer> kept;

        public Newest(long now, Bounds bounds) {
            this.now = now;
            this.kept = new FairlyBounded<>(bounds.perAccount(), bounds.maxKept(), bounds.maxBytes(), Answer::bytes);
        }

        /**
         * The next answer in record order (null, a torn line, and one past its retention are skipped). With one
         * account this keeps the newest that fit, as a pass from the newest end that stops at the first that does
         * not would: one that does not fit lets go of every older one of its account.
         */
        public void add(Answer a) {
            if (a == null || now - a.at() >= KEPT_MILLIS) {
                return;
            }
            kept.put(a.account(), a.key(), a);
        }

        /** The answers kept, oldest first. */
        public List<Answer> answers() {
            return kept.values();
        }
    }
}
