package dev.controlroom;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The layer rules of STYLE.md, checked on the compiled classes. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.controlroom");
    }

    @Test
    void domainImportsNoJavaFxJooqPty4jOrStorage() {
        noClasses().that().resideInAPackage("dev.controlroom.domain..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.jooq..", "com.pty4j..",
                        "org.sqlite..", "org.flywaydb..", "dev.controlroom.store..", "dev.controlroom.ui..")
                .check(classes);
    }

    @Test
    void onlyTheStoreUsesJooqSqliteAndFlyway() {
        noClasses().that().resideOutsideOfPackage("dev.controlroom.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "org.sqlite..", "org.flywaydb..")
                .check(classes);
    }

    @Test
    void onlyTheAgentRuntimeUsesPty4j() {
        noClasses().that().resideOutsideOfPackage("dev.controlroom.agent..")
                .should().dependOnClassesThat().resideInAnyPackage("com.pty4j..")
                .check(classes);
    }

    @Test
    void onlyTheUiUsesJavaFxScenes() {
        noClasses().that().resideOutsideOfPackage("dev.controlroom.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.fxml..", "javafx.stage..",
                        "atlantafx..", "org.controlsfx..")
                .check(classes);
    }

    @Test
    void onlyTheTrayUsesAwt() {
        // AWT runs its own event thread beside JavaFX's; one package keeps the two from waiting on each other.
        noClasses().that().resideOutsideOfPackage("dev.controlroom.ui.tray..")
                .should().dependOnClassesThat().resideInAnyPackage("java.awt..")
                .check(classes);
    }

    @Test
    void onlyTheOrchestratorCreatesRunsAndSessions() {
        // One run id end to end: no other code path may create a run or a session for it.
        noClasses().that().doNotHaveFullyQualifiedName("dev.controlroom.orchestrator.Orchestrator")
                .should().callMethod(dev.controlroom.store.RunStore.Tx.class, "createRun", String.class, long.class,
                        dev.controlroom.domain.RunOptions.class, long.class, java.util.Map.class, java.util.Map.class)
                .orShould().callMethod(dev.controlroom.store.RunStore.Tx.class, "startSession", String.class, String.class,
                        long.class, long.class, int.class, String.class, java.util.Optional.class, String.class,
                        dev.controlroom.domain.TaskState.class)
                .check(classes);
    }

    @Test
    void storeAndDomainDoNotReachIntoTheDoors() {
        noClasses().that().resideInAnyPackage("dev.controlroom.store..", "dev.controlroom.domain..", "dev.controlroom.plan..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.controlroom.ui..", "dev.controlroom.app..",
                        "dev.controlroom.cli..")
                .check(classes);
    }

    @Test
    void topLevelPackagesFormNoCycle() {
        slices().matching("dev.controlroom.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theCommandLineNeedsNoWindow() {
        // A headless machine (a CI job, a server over ssh) runs every command without JavaFX.
        noClasses().that().resideInAPackage("dev.controlroom.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.controlroom.ui..", "javafx..")
                .check(classes);
    }

    @Test
    void theHeadlessBenchmarksNeedNoWindow() {
        // The window's benchmark lives in ui and joins `bench` in the Launcher; the engine's benchmarks run headless.
        noClasses().that().resideInAPackage("dev.controlroom.bench..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.controlroom.ui..", "javafx..")
                .check(classes);
    }
}
