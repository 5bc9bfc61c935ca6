package dev.controlroom.store;

import dev.controlroom.domain.Agent;
import dev.controlroom.domain.AgentProfile;
import dev.controlroom.domain.AgentStatus;
import dev.controlroom.domain.NewAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.controlroom.store.schema.Tables.AGENTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentStoreTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = StoreTestSupport.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void hiredAgentIsActiveIdleAndInItsTeam() {
        Agent a = store.agents().hire(new NewAgent("claude-1", Optional.of("Engineering"), AgentProfile.CLAUDE,
                Optional.of("sonnet"), Optional.empty(), 2));

        assertTrue(a.active());
        assertEquals(AgentStatus.IDLE, a.status());
        assertEquals(Optional.of("Engineering"), a.team());
        assertEquals(Optional.of("sonnet"), a.model());
        assertEquals(2, a.maxConcurrent());
        assertEquals(List.of("Engineering"), store.teams().list().stream().map(t -> t.name()).toList());
    }

    @Test
    void firedAgentLeavesTheActiveRosterKeepsItsStatsAndCanBeRehired() {
        Agent a = store.agents().hire(NewAgent.of("shell-1", null, AgentProfile.SHELL));
        store.database().write(dsl -> dsl.update(AGENTS).set(AGENTS.TASKS_SUCCEEDED, 7).set(AGENTS.TOTAL_REWARD, 70)
                .where(AGENTS.ID.eq(a.id())).execute());

        Agent fired = store.agents().fire(a.id());
        assertFalse(fired.active());
        assertEquals(AgentStatus.OFFLINE, fired.status());
        assertTrue(store.agents().listActive().isEmpty());
        assertEquals(1, store.agents().listAll().size());

        Agent back = store.agents().rehire(a.id());
        assertTrue(back.active());
        assertEquals(7, back.stats().succeeded());
        assertEquals(70, back.stats().reward());
    }

    @Test
    void secondAgentWithTheSameNameIsRefusedByName() {
        store.agents().hire(NewAgent.of("shell-1", null, AgentProfile.SHELL));

        StoreException e = assertThrows(StoreException.class, () -> store.agents().hire(NewAgent.of("shell-1", null, AgentProfile.CODEX)));
        assertEquals("an agent named 'shell-1' is already on the roster", e.getMessage());
        assertEquals(1, store.agents().listAll().size());
    }

    @Test
    void firingAnUnknownAgentSaysSo() {
        StoreException e = assertThrows(StoreException.class, () -> store.agents().fire(42));

        assertEquals("no agent with id 42", e.getMessage());
    }
}
