package org.opentrade.exchange.domain.sim;

import java.util.ArrayList;
import java.util.List;
import org.opentrade.exchange.domain.EventCollector;
import org.opentrade.exchange.domain.InstrumentCatalog;
import org.opentrade.exchange.domain.MatchingEngine;
import org.opentrade.exchange.model.TradingCalendar;
import org.opentrade.exchange.model.Command;
import org.opentrade.exchange.model.EventType;
import org.opentrade.exchange.model.ExchangeEvent;

/** Drives a simulator against a real rules engine, the way the service does, but synchronously. */
final class SimHarness {
    final MatchingEngine engine;
    final Simulator sim;
    final EventCollector collector = new EventCollector(0);
    final List<ExchangeEvent> rejections = new ArrayList<>();
    final List<ExchangeEvent> trades = new ArrayList<>();
    final List<Command> sent = new ArrayList<>();
    boolean keepSent;
    long now;

    SimHarness(InstrumentCatalog catalog, TradingCalendar calendar, SimulatorOptions options, long start) {
        this.engine = MatchingEngine.withRules(catalog, calendar);
        this.sim = new Simulator(options, catalog, calendar, Simulator.firstOrderIdFor(start));
        this.now = start;
    }

    /** One service tick: the time tick, then the simulator's commands, each fed back its events. */
    List<Command> step(long stepMillis) {
        now += stepMillis;
        process(Command.tick(now));
        List<Command> commands = sim.step(now);
        for (Command c : commands) {
            process(c);
        }
        if (keepSent) {
            sent.addAll(commands);
        }
        return commands;
    }

    void process(Command c) {
        collector.begin(c);
        engine.process(c, collector);
        List<ExchangeEvent> events = List.copyOf(collector.events());
        for (ExchangeEvent e : events) {
            if (e.type() == EventType.REJECTED) {
                rejections.add(e);
            } else if (e.type() == EventType.TRADE) {
                trades.add(e);
            }
        }
        sim.onEvents(events.stream().filter(Simulator::wants).toList());
    }
}
