package org.opentrade.gateway.domain;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plans on offer, ranked, and which one a new developer gets. The rank is the order the plans
 * are given in, lowest first: a developer may give a key their own plan or any lower one, and a
 * developer's plan change lowers the keys above the new plan to it. Immutable; thread-safe.
 */
public final class PlanCatalog {
    private final Map<String, Plan> plans = new LinkedHashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final String defaultPlan;

    /** @param plans every plan, lowest first (distinct names) */
    public PlanCatalog(List<Plan> plans, String defaultPlan) {
        for (Plan p : plans) {
            if (this.plans.put(p.name(), p) != null) {
                throw new IllegalArgumentException("plan '" + p.name() + "' is listed twice");
            }
            ranks.put(p.name(), ranks.size());
        }
        if (!this.plans.containsKey(defaultPlan)) {
            throw new IllegalArgumentException("default plan '" + defaultPlan + "' is not one of " + this.plans.keySet());
        }
        this.defaultPlan = defaultPlan;
    }

    /** free, pro and partner (in that rank), with free as the default. */
    public static PlanCatalog standard() {
        return new PlanCatalog(List.of(
                new Plan("free", 1_200, 10, 5),
                new Plan("pro", 12_000, 50, 20),
                new Plan("partner", 120_000, 200, 100)), "free");
    }

    public Optional<Plan> find(String name) {
        return Optional.ofNullable(name == null ? null : plans.get(name));
    }

    /** The named plan, or the default one when the name is unknown (a plan removed from config) or null. */
    public Plan planOrDefault(String name) {
        Plan p = name == null ? null : plans.get(name);
        return p != null ? p : plans.get(defaultPlan);
    }

    /**
     * Whether {@code plan} is a plan of this catalog ranked no higher than {@code ceiling}; an unknown
     * ceiling counts as the default plan, as {@link #planOrDefault} reads it.
     */
    public boolean isWithin(String plan, String ceiling) {
        Integer rank = plan == null ? null : ranks.get(plan);
        return rank != null && rank <= ranks.get(planOrDefault(ceiling).name());
    }

    public String defaultPlan() {
        return defaultPlan;
    }

    /** Every plan, lowest first. */
    public List<Plan> all() {
        return List.copyOf(plans.values());
    }

    /** Every plan's name, lowest first. */
    public List<String> names() {
        return List.copyOf(plans.keySet());
    }
}
