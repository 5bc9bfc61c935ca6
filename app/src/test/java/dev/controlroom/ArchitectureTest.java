package dev.controlroom;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.controlroom.domain.RunOptions;
import dev.controlroom.domain.TaskState;
import dev.controlroom.orchestrator.port.RunLedger;

import java.util.Map;
import java.util.Optional;

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
    void onlyTheApiUsesJavalinAndJetty() {
        // One door owns the HTTP server: the engine, the store and the window never depend on it.
        noClasses().that().resideOutsideOfPackage("dev.controlroom.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")
                .check(classes);
    }

    @Test
    void onlyTheMcpDoorUsesTheMcpSdk() {
        // The protocol's types stay behind one door: the API's services and the engine never see them.
        noClasses().that().resideOutsideOfPackage("dev.controlroom.mcp..")
                .should().dependOnClassesThat().resideInAnyPackage("io.modelcontextprotocol..")
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
    void onlyBeginRunCreatesRunsAndOnlyTransitionsCreatesSessions() {
        // One run id end to end: no other code path may create a run or a session for it.
        noClasses().that().doNotHaveFullyQualifiedName("dev.controlroom.orchestrator.steps.BeginRun")
                .should().callMethod(RunLedger.Tx.class, "createRun", String.class, long.class, RunOptions.class, long.class,
                        Map.class, Map.class)
                .check(classes);
        noClasses().that().doNotHaveFullyQualifiedName("dev.controlroom.orchestrator.state.Transitions")
                .should().callMethod(RunLedger.Tx.class, "startSession", String.class, String.class, long.class, long.class, int.class,
                        String.class, Optional.class, String.class, TaskState.class)
                .check(classes);
    }

    @Test
    void nothingButTheLedgerAdapterCallsTheRunStoreTransactionDirectly() {
        // The engine speaks to storage through its port only; the store's own transaction class stays inside the store.
        noClasses().that().resideOutsideOfPackage("dev.controlroom.store..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.controlroom.store.RunStore$Tx")
                .check(classes);
    }

    @Test
    void theEngineDoesNotDependOnTheStoreOrTheDoors() {
        noClasses().that().resideInAPackage("dev.controlroom.orchestrator..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.controlroom.store..", "dev.controlroom.agent..",
                        "dev.controlroom.ui..", "dev.controlroom.cli..", "dev.controlroom.app..", "dev.controlroom.bench..")
                .check(classes);
    }

    @Test
    void onlyTransitionsWritesTaskRunAndSessionState() {
        // The state classes keep their state fields package-private; within the package only Transitions assigns them.
        noClasses().that().resideInAPackage("dev.controlroom.orchestrator.state")
                .and().doNotHaveFullyQualifiedName("dev.controlroom.orchestrator.state.Transitions")
                .should().setFieldWhere(com.tngtech.archunit.base.DescribedPredicate.describe("a state field",
                        (com.tngtech.archunit.core.domain.JavaFieldAccess access) -> STATE_FIELDS.contains(
                                access.getTarget().getOwner().getSimpleName() + "." + access.getTarget().getName())
                                && !access.getOrigin().isConstructor()))
                .check(classes);
    }

    private static final java.util.Set<String> STATE_FIELDS = java.util.Set.of("TaskNode.state", "TaskNode.attempts", "TaskNode.live",
            "RunModel.state", "RunModel.running", "LiveSession.phase", "LiveSession.process", "LiveSession.iteration");

    @Test
    void theEngineSubPackagesHaveNoCycles() {
        com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices().matching("dev.controlroom.orchestrator.(*)..")
                .should().beFreeOfCycles().check(classes);
    }

    @Test
    void storeAndDomainDoNotReachIntoTheDoors() {
        noClasses().that().resideInAnyPackage("dev.controlroom.store..", "dev.controlroom.domain..", "dev.controlroom.plan..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.controlroom.ui..", "dev.controlroom.app..",
                        "dev.controlroom.cli..")
                .check(classes);
    }

    @Test
    void windowPackagesDoNotDependOnEachOtherInACircle() {
        slices().matching("dev.controlroom.ui.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void panesDoNotReachBackIntoTheWindowThatComposesThem() {
        // The window's root package builds every pane; what panes share lives in ui.common, so no circle runs through the root.
        noClasses().that().resideInAPackage("dev.controlroom.ui..").and().resideOutsideOfPackage("dev.controlroom.ui")
                .should().dependOnClassesThat().resideInAPackage("dev.controlroom.ui")
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
