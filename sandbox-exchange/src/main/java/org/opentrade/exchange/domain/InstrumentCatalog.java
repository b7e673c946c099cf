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
    private final Map<String, InstrumentProfile> profiles;

    public InstrumentCatalog(List<Instrument> instruments) {
        this(instruments, Map.of());
    }

    /** With market-data reference figures per symbol (symbols without one are {@link InstrumentProfile#UNKNOWN}). */
    public InstrumentCatalog(List<Instrument> instruments, Map<String, InstrumentProfile> profiles) {
        this.profiles = Map.copyOf(profiles);
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

    /** Float shares and EPS of {@code symbol}; {@link InstrumentProfile#UNKNOWN} when the universe did not say. */
    public InstrumentProfile profile(String symbol) {
        return profiles.getOrDefault(symbol, InstrumentProfile.UNKNOWN);
    }

    public List<Instrument> all() {
        return List.copyOf(bySymbol.values());
    }

    public int size() {
        return bySymbol.size();
    }

    /**
     * Reads a universe file: a header line, then {@code symbol,name,prev_close[,float_shares,eps]} rows
     * ({@code #} starts a comment; the last two may be empty). Fails fast with the line number on
     * anything unreadable.
     */
    public static InstrumentCatalog parseCsv(Reader source) throws IOException {
        List<Instrument> list = new ArrayList<>();
        Map<String, InstrumentProfile> profiles = new LinkedHashMap<>();
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
            if (f.length != 3 && f.length != 5) {
                throw new IllegalArgumentException("instrument file line " + n
                        + ": expected symbol,name,prev_close[,float_shares,eps]");
            }
            long prevClose = Price.parse(f[2].strip());
            if (prevClose == Price.INVALID || prevClose <= 0) {
                throw new IllegalArgumentException("instrument file line " + n + ": bad prev_close '" + f[2] + "'");
            }
            list.add(Instrument.aShare(f[0].strip(), f[1].strip(), prevClose));
            if (f.length == 5) {
                profiles.put(f[0].strip(), profile(f[3].strip(), f[4].strip(), n));
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("instrument file has no instruments");
        }
        return new InstrumentCatalog(list, profiles);
    }

    private static InstrumentProfile profile(String floatShares, String eps, int line) {
        long shares;
        long epsHundredths;
        try {
            shares = floatShares.isEmpty() ? 0 : Long.parseLong(floatShares);
            epsHundredths = eps.isEmpty() ? 0 : new java.math.BigDecimal(eps).movePointRight(2).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("instrument file line " + line + ": float_shares must be a whole number"
                    + " and eps a decimal with at most 2 places, got '" + floatShares + "', '" + eps + "'");
        }
        if (shares < 0) {
            throw new IllegalArgumentException("instrument file line " + line + ": float_shares must not be negative");
        }
        return new InstrumentProfile(shares, epsHundredths);
    }
}
