package dev.controlroom.ui;

import dev.controlroom.store.WriteHealth;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class WriteHealthViewModelTest {
    private static final Instant NOON = Instant.parse("2026-03-01T12:00:05Z");

    @Test
    void aLockHeldByAnotherProgramIsShownAsABusyDatabaseWithTheOutputWaiting() {
        assertEquals("Database busy (locked by another program): output is held in memory (1.5 MB); runs continue when it lets go (since 12:00:05)",
                WriteHealthViewModel.describe(new WriteHealth.State(WriteHealth.Condition.LOCKED, Optional.of(NOON), 1536 * 1024, "locked"),
                        ZoneOffset.UTC));
    }

    @Test
    void aFullDiskSaysHowMuchOutputWaitsAndWhatBringsTheRunsBack() {
        assertEquals("Disk full: output is held in memory (512 KB); runs continue when space is freed (since 12:00:05)",
                WriteHealthViewModel.describe(new WriteHealth.State(WriteHealth.Condition.DISK_FULL, Optional.of(NOON), 512 * 1024, "full"),
                        ZoneOffset.UTC));
    }

    @Test
    void nothingIsShownWhileTheDatabaseTakesWrites() {
        assertEquals("", WriteHealthViewModel.describe(WriteHealth.State.WRITING, ZoneOffset.UTC));
    }
}
