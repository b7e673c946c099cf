package org.opentrade.exchange.domain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrade.exchange.model.Price;

/** The instrument universe of an exchange: immutable, looked up by symbol. */
public final class InstrumentCatalog {
    private final Map<String, Instrument> bySymbol;

    public InstrumentCatalog(List<Instrument> instruments) {
        Map<String, Instrument> m = new LinkedHashMap<>();
        for (Instrument i : instruments) {
            if (m.put(i.symbol(), i) != null) {
                throw new IllegalArgumentException("duplicate instrument symbol " + i.symbol());
            }
        }
        this.bySymbol = Collections.unmodifiableMap(m);
    }

    public Instrument get(String symbol) {
        return symbol == null ? null : bySymbol.get(symbol);
    }

    public List<Instrument> all() {
        return List.copyOf(bySymbol.values());
    }

    public int size() {
        return bySymbol.size();
    }

    /**
     * Reads a universe file: a header line, then {@code symbol,name,prev_close} rows ({@code #} starts
     * a comment). Fails fast with the line number on anything unreadable.
     */
    public static InstrumentCatalog parseCsv(Reader source) throws IOException {
        List<Instrument> list = new ArrayList<>();
        BufferedReader r = new BufferedReader(source);
        String line;
        int n = 0;
        boolean header = true;
        while ((line = r.readLine()) != null) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                if (!t.toLowerCase().startsWith("symbol,")) {
                    throw new IllegalArgumentException("instrument file line " + n
                            + ": expected header 'symbol,name,prev_close'");
                }
                continue;
            }
            String[] f = t.split(",", -1);
            if (f.length != 3) {
                throw new IllegalArgumentException("instrument file line " + n + ": expected symbol,name,prev_close");
            }
            long prevClose = Price.parse(f[2].strip());
            if (prevClose == Price.INVALID || prevClose <= 0) {
                throw new IllegalArgumentException("instrument file line " + n + ": bad prev_close '" + f[2] + "'");
            }
            list.add(Instrument.aShare(f[0].strip(), f[1].strip(), prevClose));
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("instrument file has no instruments");
        }
        return new InstrumentCatalog(list);
    }
}
