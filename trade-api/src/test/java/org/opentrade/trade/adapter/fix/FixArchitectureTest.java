package org.opentrade.trade.adapter.fix;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The FIX engine stays behind its adapter: only adapter.fix sees QuickFIX/J or MINA. */
class FixArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.opentrade.trade");

    @Test
    void onlyTheFixAdapterImportsQuickFixJ() {
        noClasses().that().resideOutsideOfPackage("org.opentrade.trade.adapter.fix..")
                .should().dependOnClassesThat().resideInAnyPackage("quickfix..", "org.apache.mina..")
                .check(MAIN);
    }
}
