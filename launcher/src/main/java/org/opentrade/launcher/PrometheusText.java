package org.opentrade.launcher;

import org.opentrade.exchange.app.ExchangeMetrics;

/** Renders the exchange's counters in the Prometheus text exposition format (version 0.0.4). */
final class PrometheusText {

    private PrometheusText() {
    }

    static String render(ExchangeMetrics m) {
        StringBuilder sb = new StringBuilder(1024);
        metric(sb, "opentrade_exchange_ready", "gauge", "1 when the exchange serves commands.", m.ready() ? 1 : 0);
        metric(sb, "opentrade_exchange_commands_processed_total", "counter",
                "Commands processed by the exchange shards since start.", m.commandsProcessed());
        metric(sb, "opentrade_exchange_events_published_total", "counter",
                "Exchange events published on the event bus since start.", m.eventsPublished());
        metric(sb, "opentrade_exchange_trades_total", "counter", "Trades since start.", m.trades());
        metric(sb, "opentrade_exchange_rejections_total", "counter", "Rejected commands since start.",
                m.rejections());
        metric(sb, "opentrade_exchange_live_orders", "gauge", "Resting orders and untriggered stops.",
                m.liveOrders());
        metric(sb, "opentrade_simulator_commands_total", "counter",
                "Commands sent by the liquidity simulator since start.", m.simulatorCommands());
        metric(sb, "opentrade_simulator_rejections_total", "counter",
                "Liquidity simulator commands the exchange refused since start.", m.simulatorRejections());
        metric(sb, "opentrade_exchange_engine_failures_total", "counter",
                "Commands that made the matching engine throw (a bug; each is logged).", m.engineFailures());
        metric(sb, "opentrade_exchange_feed_events_republished_total", "counter",
                "Events published after recovery because a crash kept them from going out.", m.eventsRepublished());
        metric(sb, "opentrade_exchange_feed_consumers_dropped_total", "counter",
                "Durable feed consumers dropped from the interest set for falling too far behind.",
                m.consumersDropped());
        return sb.toString();
    }

    private static void metric(StringBuilder sb, String name, String type, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}
