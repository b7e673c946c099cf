package org.opentrade.trade.app;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.opentrade.trade.domain.intent.Intent;
import org.opentrade.trade.port.IntentStore;

/** An intent store that hands everything to another: tests override what they play ({@link #append}, say). */
class DelegatingIntentStore implements IntentStore {
    protected final IntentStore store;

    DelegatingIntentStore(IntentStore store) {
        this.store = store;
    }

    @Override
    public boolean append(Intent intent, LongConsumer durable) {
        return store.append(intent, durable);
    }

    @Override
    public List<Intent> readAll() {
        return store.readAll();
    }

    @Override
    public void replay(long afterIndex, Consumer<Intent> sink) {
        store.replay(afterIndex, sink);
    }

    @Override
    public long lastIndex() {
        return store.lastIndex();
    }

    @Override
    public long nextExchangeId() {
        return store.nextExchangeId();
    }

    @Override
    public void onFailure(Consumer<Throwable> handler) {
        store.onFailure(handler);
    }

    @Override
    public void close() {
        store.close();
    }
}
