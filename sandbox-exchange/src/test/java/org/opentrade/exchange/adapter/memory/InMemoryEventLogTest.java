package org.opentrade.exchange.adapter.memory;

import org.opentrade.exchange.port.EventLog;
import org.opentrade.exchange.port.EventLogContract;

class InMemoryEventLogTest extends EventLogContract {
    @Override
    protected EventLog newLog() {
        return new InMemoryEventLog();
    }

    /** Nothing to reopen: the log lives as long as the object. */
    @Override
    protected EventLog reopen(EventLog log) {
        return log;
    }
}
