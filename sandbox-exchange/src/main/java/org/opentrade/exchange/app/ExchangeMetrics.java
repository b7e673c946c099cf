package org.opentrade.exchange.app;

/**
 * A consistent-enough snapshot of the exchange's counters, safe to read from any thread (each
 * value is read from an atomic; they are not taken at one instant).
 *
 * @param ready              the exchange recovered and serves commands
 * @param commandsProcessed  commands the shards processed since start (excluding journal replay)
 * @param eventsPublished    events handed to the event bus since start
 * @param trades             TRADE events since start
 * @param rejections         REJECTED events since start
 * @param liveOrders         resting orders and untriggered stops, as of each shard's last batch
 * @param simulatorCommands  commands the liquidity simulator sent
 * @param simulatorRejections simulator commands the exchange refused (only races should cause any)
 * @param engineFailures     commands that made the engine throw (a bug; each is logged)
 * @param eventsRepublished  events published after recovery because a crash kept them from going out
 * @param consumersDropped   durable feed consumers dropped from the interest set for lagging
 * @param queuedCommands     per shard: commands in its ring, not yet matched (the engine's queue); -1
 *                           for a shard another process runs (left out, as in {@code headSeqs})
 * @param headSeqs           per shard: the last event seq handed to the feed
 * @param role               failover role: {@code single} (no failover), {@code starting}, {@code standby}
 *                           or {@code leader}
 * @param imagesInstalled    times this process started standing by from the leader's images (one per
 *                           attachment: a count that keeps rising means the standby keeps being dropped)
 * @param timings            the shards' batch costs (journal commit, replication, size); null: none shown
 */
public record ExchangeMetrics(boolean ready, long commandsProcessed, long eventsPublished, long trades,
                              long rejections, long liveOrders, long simulatorCommands, long simulatorRejections,
                              long engineFailures, long eventsRepublished, long consumersDropped,
                              long[] queuedCommands, long[] headSeqs, String role, long imagesInstalled,
                              org.opentrade.exchange.adapter.disruptor.ShardTimings timings) {
    /** The failover roles {@code opentrade_exchange_failover_role} reports, one series each. */
    static final java.util.List<String> ROLES = java.util.List.of("single", "starting", "standby", "leader");

    /** Without failover: role {@code single}. */
    public ExchangeMetrics(boolean ready, long commandsProcessed, long eventsPublished, long trades,
                           long rejections, long liveOrders, long simulatorCommands, long simulatorRejections,
                           long engineFailures, long eventsRepublished, long consumersDropped,
                           long[] queuedCommands, long[] headSeqs) {
        this(ready, commandsProcessed, eventsPublished, trades, rejections, liveOrders, simulatorCommands,
                simulatorRejections, engineFailures, eventsRepublished, consumersDropped, queuedCommands, headSeqs,
                "single", 0, null);
    }

    /**
     * These counters in the Prometheus text exposition format (version 0.0.4): what the standalone
     * exchange's {@code /metrics} answers and the all-in-one's {@code /metrics} includes.
     */
    public String prometheusText() {
        StringBuilder sb = new StringBuilder(1024);
        metric(sb, "opentrade_exchange_ready", "gauge", "1 when the exchange serves commands.", ready ? 1 : 0);
        metric(sb, "opentrade_exchange_commands_processed_total", "counter",
                "Commands processed by the exchange shards since start.", commandsProcessed);
        metric(sb, "opentrade_exchange_events_published_total", "counter",
                "Exchange events published on the event bus since start.", eventsPublished);
        metric(sb, "opentrade_exchange_trades_total", "counter", "Trades since start.", trades);
        metric(sb, "opentrade_exchange_rejections_total", "counter", "Rejected commands since start.", rejections);
        metric(sb, "opentrade_exchange_live_orders", "gauge", "Resting orders and untriggered stops.", liveOrders);
        metric(sb, "opentrade_simulator_commands_total", "counter",
                "Commands sent by the liquidity simulator since start.", simulatorCommands);
        metric(sb, "opentrade_simulator_rejections_total", "counter",
                "Liquidity simulator commands the exchange refused since start.", simulatorRejections);
        metric(sb, "opentrade_exchange_engine_failures_total", "counter",
                "Commands that made the matching engine throw (a bug; each is logged).", engineFailures);
        metric(sb, "opentrade_exchange_feed_events_republished_total", "counter",
                "Events published after recovery because a crash kept them from going out.", eventsRepublished);
        metric(sb, "opentrade_exchange_feed_consumers_dropped_total", "counter",
                "Durable feed consumers dropped from the interest set for falling too far behind.", consumersDropped);
        perShard(sb, "opentrade_exchange_queued_commands", "Commands waiting in the shard's ring to be journaled"
                + " and matched (the engine's queue depth; the ring refuses past its size).", queuedCommands);
        perShard(sb, "opentrade_exchange_feed_head_seq", "The shard's last event seq handed to the feed (a"
                + " consumer's lag is this minus its position).", headSeqs);
        sb.append("# HELP opentrade_exchange_failover_role 1 for this process's failover role (single: no"
                + " failover; standby: follows the leader's journal and serves nothing).\n")
                .append("# TYPE opentrade_exchange_failover_role gauge\n");
        for (String r : ROLES) {
            sb.append("opentrade_exchange_failover_role{role=\"").append(r).append("\"} ")
                    .append(r.equals(role) ? 1 : 0).append('\n');
        }
        metric(sb, "opentrade_exchange_failover_images_installed_total", "counter", "Times this process started"
                + " standing by from the leader's images (one per attachment; rising: the standby keeps being"
                + " dropped).", imagesInstalled);
        if (timings != null) {
            timings.appendPrometheus(sb);
        }
        return sb.toString();
    }

    private static void perShard(StringBuilder sb, String name, String help, long[] values) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n");
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0) {
                continue; // a shard another exchange process runs: its own /metrics reports it
            }
            sb.append(name).append("{shard=\"").append(i).append("\"} ").append(values[i]).append('\n');
        }
    }

    private static void metric(StringBuilder sb, String name, String type, String help, long value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }
}
