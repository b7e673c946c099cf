package org.opentrade.gateway.domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The plans on offer and which one a new developer gets. */
public final class PlanCatalog {
    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private final String defaultPlan;

    public PlanCatalog(List<Plan> plans, String defaultPlan) {
        for (Plan p : plans) {
            this.plans.put(p.name(), p);
        }
        if (!this.plans.containsKey(defaultPlan)) {
            throw new IllegalArgumentException("default plan '" + defaultPlan + "' is not one of " + this.plans.keySet());
        }
        this.defaultPlan = defaultPlan;
    }

    /** free, pro and partner, with free as the default. */
    public static PlanCatalog standard() {
        return new PlanCatalog(List.of(
                new Plan("free", 1_200, 10, 5),
                new Plan("pro", 12_000, 50, 20),
                new Plan("partner", 120_000, 200, 100)), "free");
    }

    public Optional<Plan> find(String name) {
        return Optional.ofNullable(plans.get(name));
    }

    /** The named plan, or the default one when the name is unknown (a plan removed from config). */
    public Plan planOrDefault(String name) {
        return plans.getOrDefault(name, plans.get(defaultPlan));
    }

    public String defaultPlan() {
        return defaultPlan;
    }

    public List<Plan> all() {
        return List.copyOf(plans.values());
    }
}
