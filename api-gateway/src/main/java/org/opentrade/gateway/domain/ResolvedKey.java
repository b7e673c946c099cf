package org.opentrade.gateway.domain;

/**
 * A stored key with its plan looked up in the {@link PlanCatalog}: what the request path needs. Built
 * once each time {@link KeyLookup} loads the key, so a request never looks its plan up.
 *
 * @param plan the key's plan; the catalog's default when the key names no plan the catalog knows
 */
public record ResolvedKey(ApiKey key, Plan plan) {
}
