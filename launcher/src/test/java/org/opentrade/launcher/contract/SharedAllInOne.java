package org.opentrade.launcher.contract;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands test methods an {@link AllInOneFixture} parameter: one all-in-one per test run (the root
 * context's store), shared by every class that uses this extension and stopped when the run ends
 * (JUnit closes {@link AutoCloseable} values of the store). Only for tests that do not depend on
 * each other's traffic: each should sign up its own developers.
 */
public final class SharedAllInOne implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedAllInOne.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AllInOneFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(AllInOneFixture.class, k -> {
            try {
                return AllInOneFixture.start();
            } catch (Exception e) {
                throw new IllegalStateException("the all-in-one did not start", e);
            }
        }, AllInOneFixture.class);
    }
}
