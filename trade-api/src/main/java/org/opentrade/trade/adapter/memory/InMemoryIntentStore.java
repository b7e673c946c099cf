package org.opentrade.trade.adapter.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.opentrade.trade.domain.intent.ExchangeOrderIds;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.port.IntentStore;

/**
 * {@link IntentStore} in memory, for tests and a throw-away sandbox: "durable" means stored in this
 * object, nothing survives the JVM. Never full.
 *
 * <p>Threads: any; a lock orders appends. {@code durable} runs on the appending thread before
 * {@code append} returns, outside the lock (callers must not rely on that: the file store calls back
 * later, on its own thread).
 */
public final class InMemoryIntentStore implements IntentStore {
    private final int instanceId;
    private final List<Intent> intents = new ArrayList<>();
    private long lastExchangeSequence;
    private boolean closed;

    /** Instance 0: exchange ids 1, 2, 3… */
    public InMemoryIntentStore() {
        this(0);
    }

    public InMemoryIntentStore(int instanceId) {
        ExchangeOrderIds.requireInstanceId(instanceId);
        this.instanceId = instanceId;
    }

    @Override
    public boolean append(Intent intent, LongConsumer durable) {
        long index;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("intent store is closed");
            }
            index = intents.size() + 1L;
            intents.add(intent.withIndex(index));
        }
        durable.accept(index);
        return true;
    }

    @Override
    public synchronized List<Intent> readAll() {
        return List.copyOf(intents);
    }

    @Override
    public void replay(long afterIndex, Consumer<Intent> sink) {
        List<Intent> all = readAll();
        for (int i = (int) Math.max(0, Math.min(afterIndex, all.size())); i < all.size(); i++) {
            sink.accept(all.get(i));
        }
    }

    @Override
    public synchronized long lastIndex() {
        return intents.size();
    }

    @Override
    public synchronized long nextExchangeId() {
        if (closed) {
            throw new IllegalStateException("intent store is closed");
        }
        return ExchangeOrderIds.compose(instanceId, ++lastExchangeSequence);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
