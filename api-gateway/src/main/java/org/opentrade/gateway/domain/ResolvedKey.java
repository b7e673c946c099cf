package org.opentrade.gateway.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * A stored key with what the request path needs resolved: its plan looked up in the
 * {@link PlanCatalog} and its allow-list parsed. Built once each time {@link KeyLookup} loads the key,
 * so a request never looks its plan up nor re-parses an address range.
 *
 * @param plan      the key's plan; the catalog's default when the key names no plan the catalog knows
 * @param allowList the key's {@link ApiKey#allowedCidrs()} parsed; an entry that does not parse (none
 *                  should: they are checked when the key is created) is left out, and a key whose
 *                  stored list is not empty stays restricted even if none of it parses
 */
public record ResolvedKey(ApiKey key, Plan plan, List<Cidr> allowList) {

    public ResolvedKey {
        allowList = List.copyOf(allowList);
    }

    /** Resolves {@code key} at {@code plan}, parsing its allow-list. */
    public static ResolvedKey of(ApiKey key, Plan plan) {
        List<Cidr> ranges = new ArrayList<>(key.allowedCidrs().size());
        for (String c : key.allowedCidrs()) {
            Cidr.parse(c).ifPresent(ranges::add);
        }
        return new ResolvedKey(key, plan, ranges);
    }
}
