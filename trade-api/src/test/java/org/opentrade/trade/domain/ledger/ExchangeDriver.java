package org.opentrade.trade.domain.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.opentrade.exchange.domain.EventCollector;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.ExchangeEvent;
import org.opentrade.exchange.model.OrderType;
import org.opentrade.exchange.model.Side;
import org.opentrade.exchange.model.TimeInForce;
import org.opentrade.trade.domain.OrderRequest;

/**
 * Test harness: the real matching engine (pure mode) feeding a {@link Ledger}, as trade-api would —
 * intents first, then the command, then every event of the feed. Keeps the input log (intents and
 * events in the order applied) so a test can rebuild a second ledger from it, and every update per
 * account.
 */
final class ExchangeDriver {
    final MatchingEngine engine = MatchingEngine.pure();
    final EventCollector collector = new EventCollector(0);
    Ledger ledger;
    /** Intents (as steps) and feed events, in the order applied. */
    final List<Object> log = new ArrayList<>();
    final Map<String, List<Update>> updates = new HashMap<>();
    final List<ExchangeEvent> events = new ArrayList<>();

    ExchangeDriver(LedgerOptions options) {
        this.ledger = new Ledger(options);
    }

    void open(String account, long cash, long time) {
        intent(l -> {
            l.openAccount(account, cash, time);
            return null;
        });
    }

    void reset(String account, long cash, long time) {
        intent(l -> {
            l.resetAccount(account, cash, time);
            return null;
        });
    }

    /** Records the order intent, sends it and applies what the exchange answers. */
    List<Update> place(String account, long id, String symbol, Side side, OrderType type, TimeInForce tif, long price,
                       long stopPrice, long qty, long reservePrice, long time) {
        OrderRequest req = new OrderRequest("c" + id, symbol, side, type, tif, qty, price, stopPrice);
        List<Update> out = new ArrayList<>();
        out.add(intent(l -> l.recordNewOrder(account, id, req, reservePrice, time)));
        out.addAll(send(Command.newOrder(id, account, symbol, side, type, tif, price, stopPrice, qty, time)));
        return out;
    }

    List<Update> limit(String account, long id, Side side, long price, long qty, long time) {
        return place(account, id, "600000.SH", side, OrderType.LIMIT, TimeInForce.GTC, price, 0, qty, 0, time);
    }

    /** An order of someone the ledger does not follow (a market maker): only its events reach the ledger. */
    List<Update> other(long id, Side side, long price, long qty, long time) {
        return send(Command.limit(id, "mm", "600000.SH", side, TimeInForce.GTC, price, qty, time));
    }

    List<Update> cancel(long id, String symbol, long time) {
        return send(Command.cancel(id, symbol, time));
    }

    List<Update> replace(long id, String symbol, long price, long qty, long time) {
        return send(Command.replace(id, symbol, price, qty, time));
    }

    List<Update> send(Command c) {
        collector.begin(c);
        engine.process(c, collector);
        List<Update> out = new ArrayList<>();
        for (ExchangeEvent e : List.copyOf(collector.events())) {
            out.addAll(feed(e));
        }
        return out;
    }

    List<Update> feed(ExchangeEvent e) {
        log.add(e);
        events.add(e);
        List<Update> out = ledger.apply(e);
        for (Update u : out) {
            updates.computeIfAbsent(u.account(), k -> new ArrayList<>()).add(u);
        }
        return out;
    }

    /** Logs an intent and applies it to the live ledger; its update (if any) is collected. */
    Update intent(Function<Ledger, Update> step) {
        log.add(step);
        Update u = step.apply(ledger);
        if (u != null) {
            updates.computeIfAbsent(u.account(), k -> new ArrayList<>()).add(u);
        }
        return u;
    }

    /** A fresh ledger fed the same log from the start. */
    Ledger rebuild(LedgerOptions options) {
        Ledger l = new Ledger(options);
        replay(l, 0);
        return l;
    }

    /** Applies log entries {@code from..end} to {@code l}. */
    @SuppressWarnings("unchecked")
    void replay(Ledger l, int from) {
        for (Object o : log.subList(from, log.size())) {
            if (o instanceof ExchangeEvent e) {
                l.apply(e);
            } else {
                ((Function<Ledger, Update>) o).apply(l);
            }
        }
    }
}
