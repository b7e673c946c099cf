package org.opentrade.trade.adapter.ws;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.opentrade.trade.port.StreamJournal;

/**
 * What the order stream knows of the processes before it, from its {@link StreamJournal}: the frames to
 * retain for resume, which earlier epochs' seqs it can vouch for, and, while trade-api replays from its
 * snapshot ("recovery"), which replayed updates were sent already.
 *
 * <p><b>Usable or not.</b> The journal is matched to the restored state by the {@link StreamJournal.Mark} of
 * the restored snapshot (or, with no snapshot, by a journal that starts at its origin: the ledger rebuilds
 * from nothing). Without a match (the journal was lost, pruned past the snapshot, or cut by a crash before
 * the mark), nothing is vouched for: every earlier epoch's resume gets a snapshot flagged
 * {@code resumed:false}, as before the journal, and the journal starts over (a barrier).
 *
 * <p><b>Vouching.</b> A client that had seq {@code n} of an earlier epoch {@code g} saw exactly the frames up
 * to {@code n} that the journal holds, if the journal holds frames of its account up to {@code n} from
 * {@code g} or before: the journal is a prefix of what was sent, and a frame never changes its seq once
 * written. The account's seq at the restored snapshot also counts, for epochs since the mark: everything up
 * to it was written before the mark.
 *
 * <p><b>Recovery.</b> The replay re-makes the updates since the snapshot. One whose frame (type and data)
 * the journal recorded after the mark was sent: it is not sent again (each recorded frame cancels one).
 * Others go out after the account's last recorded seq. At the end, an order whose last frame sent differs
 * from the replayed order (a cancel whose intent the crash lost, say) is sent as it now is, and one the
 * replay never made (a new order whose intent was not durable: it never reached the exchange) is sent as
 * rejected, once: a later start finds that rejection as its last frame and sends nothing.
 *
 * <p>Owner context only.
 */
final class StreamHistory {
    /** Why an order the crash lost is rejected, in its final frame. */
    static final String LOST_ORDER_REASON = "not recorded before trade-api stopped; it never reached the exchange";

    /** A frame to retain, as loaded. */
    record Seed(String account, long seq, long timeMs, Buffer wire) {
    }

    /**
     * An order whose last frame sent must be checked against the replayed state at the end of recovery;
     * {@code replayed} is the order's last state the replay made (null: the replay never made it).
     */
    record LastSent(String account, String orderId, JsonObject data, JsonObject replayed) {
    }

    private final String epoch;
    private final boolean usable;
    private List<Seed> seeds;
    private final Map<String, Integer> generations = new HashMap<>();
    private final Map<String, TreeMap<Integer, Long>> recordedMax = new HashMap<>();
    private int markGeneration;
    private final Map<String, Long> snapshotSeqs;
    /** Account → frame key → how many recorded after the mark are not yet matched by the replay. */
    private final Map<String, Map<String, Integer>> sentAfterMark = new HashMap<>();
    /** Account → order id → the order's last frame data sent (recorded after the mark, or sent in recovery). */
    private final Map<String, Map<String, JsonObject>> lastOrders = new LinkedHashMap<>();
    /**
     * Account → order id → the order's last state the replay made, for the orders of {@link #lastOrders} only.
     * The ledger keeps closed orders up to its history bound: an order the replay made and then dropped from
     * history is not the ledger's at the end, yet it reached the exchange and ended there.
     */
    private final Map<String, Map<String, JsonObject>> replayedOrders = new HashMap<>();
    private boolean recovering;

    private StreamHistory(String epoch, boolean usable, List<Seed> seeds, int markGeneration,
                          Map<String, Long> snapshotSeqs, boolean recovering) {
        this.epoch = epoch;
        this.usable = usable;
        this.seeds = seeds;
        this.markGeneration = markGeneration;
        this.snapshotSeqs = snapshotSeqs;
        this.recovering = recovering;
    }

    /** No history: a fresh epoch, nothing vouched for, no recovery. */
    static StreamHistory none(String epoch) {
        return new StreamHistory(epoch, false, List.of(), Integer.MAX_VALUE, Map.of(), false);
    }

    /**
     * @param restored      the restored snapshot's position, or null when the ledger starts from nothing
     * @param snapshotSeqs  each account's stream seq in the restored snapshot
     */
    static StreamHistory of(String epoch, StreamJournal.Recorded recorded, StreamJournal.Mark restored,
                            Map<String, Long> snapshotSeqs) {
        List<StreamJournal.Entry> entries = recorded.entries();
        int markAt = -1;
        if (restored != null) {
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i) instanceof StreamJournal.Mark m && m.intentIndex() == restored.intentIndex()
                        && m.feedPositions().equals(restored.feedPositions())) {
                    markAt = i;
                    break;
                }
            }
        }
        boolean usable = restored == null ? recorded.fromOrigin() : markAt >= 0;
        if (!usable) {
            return new StreamHistory(epoch, false, List.of(), Integer.MAX_VALUE, Map.of(), false);
        }
        List<Seed> seeds = new ArrayList<>();
        StreamHistory h = new StreamHistory(epoch, true, seeds, 0, Map.copyOf(snapshotSeqs), true);
        int generation = -1;
        for (int i = 0; i < entries.size(); i++) {
            StreamJournal.Entry e = entries.get(i);
            if (e instanceof StreamJournal.Generation g) {
                generation++;
                h.generations.put(g.epoch(), generation);
            } else if (e instanceof StreamJournal.Frame f) {
                h.recordedMax.computeIfAbsent(f.account(), a -> new TreeMap<>()).merge(Math.max(generation, 0), f.seq(),
                        Math::max);
                Buffer wire = Buffer.buffer(f.wire());
                seeds.add(new Seed(f.account(), f.seq(), f.timeMs(), wire));
                if (i > markAt) {
                    JsonObject frame = new JsonObject(wire);
                    String type = frame.getString("type");
                    JsonObject data = frame.getJsonObject("data");
                    h.sentAfterMark.computeIfAbsent(f.account(), a -> new HashMap<>()).merge(key(type, data), 1,
                            Integer::sum);
                    h.noteSent(f.account(), type, data);
                }
            } else if (i == markAt) {
                h.markGeneration = Math.max(generation, 0);
            }
        }
        return h;
    }

    String epoch() {
        return epoch;
    }

    /** Whether the journal matched the restored state (otherwise it must start over behind a barrier). */
    boolean usable() {
        return usable;
    }

    /**
     * Frames to retain for resume, in journal order (each account's in seq order), handed over once: the
     * history keeps no reference (the stream's logs keep what their retention allows).
     */
    List<Seed> takeSeeds() {
        List<Seed> out = seeds;
        seeds = List.of();
        return out;
    }

    boolean recovering() {
        return recovering;
    }

    /** The account's stream seq as the history knows it: its last recorded frame, or its seq in the snapshot. */
    long knownHead(String account) {
        TreeMap<Integer, Long> byGeneration = recordedMax.get(account);
        long recorded = byGeneration == null ? 0 : byGeneration.lastEntry().getValue();
        return Math.max(recorded, snapshotSeqs.getOrDefault(account, 0L));
    }

    /** Whether a client that had {@code seq} of {@code account} under the earlier epoch {@code epoch} saw what the journal holds. */
    boolean vouchesFor(String epoch, String account, long seq) {
        Integer generation = generations.get(epoch);
        if (!usable || generation == null) {
            return false;
        }
        long bound = 0;
        TreeMap<Integer, Long> byGeneration = recordedMax.get(account);
        if (byGeneration != null) {
            Map.Entry<Integer, Long> e = byGeneration.floorEntry(generation);
            bound = e == null ? 0 : e.getValue();
        }
        if (generation >= markGeneration) {
            bound = Math.max(bound, snapshotSeqs.getOrDefault(account, 0L));
        }
        return seq <= bound;
    }

    /**
     * During recovery: true when this replayed update's frame was recorded after the mark (it was sent; it is
     * not sent again and uses up that record); false when it must go out.
     */
    boolean sentBefore(String account, String type, JsonObject data) {
        Map<String, Integer> sent = sentAfterMark.get(account);
        if (sent == null) {
            return false;
        }
        String key = key(type, data);
        Integer n = sent.get(key);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            sent.remove(key);
        } else {
            sent.put(key, n - 1);
        }
        return true;
    }

    /** A frame sent during recovery (or recorded after the mark): the order's latest known state. */
    void noteSent(String account, String type, JsonObject data) {
        if (recovering && OrderStreams.TYPE_ORDER.equals(type)) {
            lastOrders.computeIfAbsent(account, a -> new LinkedHashMap<>()).put(data.getString("order_id"), data);
        }
    }

    /** During recovery: an order's state the replay made (sent again or not). */
    void noteReplayed(String account, String type, JsonObject data) {
        if (!recovering || !OrderStreams.TYPE_ORDER.equals(type)) {
            return;
        }
        String id = data.getString("order_id");
        Map<String, JsonObject> sent = lastOrders.get(account);
        if (sent != null && sent.containsKey(id)) {
            replayedOrders.computeIfAbsent(account, a -> new HashMap<>()).put(id, data);
        }
    }

    /** Ends recovery: the orders whose last frame sent must be compared with the replayed state. */
    List<LastSent> endRecovery() {
        recovering = false;
        List<LastSent> out = new ArrayList<>();
        lastOrders.forEach((account, orders) -> orders.forEach((id, data) -> out.add(new LastSent(account, id, data,
                replayedOrders.getOrDefault(account, Map.of()).get(id)))));
        lastOrders.clear();
        replayedOrders.clear();
        sentAfterMark.clear();
        return out;
    }

    /** The frame {@code lastSent} should be followed by to tell a lost order's end: the same order, rejected. */
    static JsonObject lostOrder(JsonObject lastSent) {
        return lastSent.copy().put("status", "rejected").put("leaves_qty", 0).put("reject_reason", LOST_ORDER_REASON);
    }

    /** Whether {@code data} is a frame {@link #lostOrder} made: the order's end was told already. */
    static boolean isLostOrder(JsonObject data) {
        return "rejected".equals(data.getString("status")) && LOST_ORDER_REASON.equals(data.getString("reject_reason"));
    }

    private static String key(String type, JsonObject data) {
        return type + '|' + data.encode();
    }
}
