package org.opentrade.market.app;

import org.opentrade.market.adapter.influx.InfluxOptions;
import org.opentrade.market.adapter.influx.InfluxTimeSeriesStore;
import org.opentrade.market.adapter.memory.InMemoryTimeSeriesStore;
import org.opentrade.market.adapter.questdb.QuestDbTimeSeriesStore;
import org.opentrade.market.port.TimeSeriesStore;

/** Opens the configured {@link TimeSeriesStore}. Blocking: call on a worker. */
public final class Stores {
    private Stores() {
    }

    public static TimeSeriesStore open(MarketApiConfig config) {
        return switch (config.store()) {
            case MEMORY -> new InMemoryTimeSeriesStore();
            case QUESTDB -> new QuestDbTimeSeriesStore(config.dataDir().resolve("questdb"));
            case INFLUXDB -> new InfluxTimeSeriesStore(influx(config));
        };
    }

    static InfluxOptions influx(MarketApiConfig config) {
        InfluxOptions o = InfluxOptions.of(config.influxUrl(), config.influxDatabase());
        if (!config.influxRetentionPolicy().isEmpty()) {
            o = o.withRetentionPolicy(config.influxRetentionPolicy());
        }
        if (!config.influxUsername().isEmpty()) {
            o = o.withCredentials(config.influxUsername(), config.influxPassword());
        }
        return o;
    }
}
