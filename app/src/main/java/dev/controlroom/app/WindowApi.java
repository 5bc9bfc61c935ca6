package dev.controlroom.app;

import dev.controlroom.api.ApiServer;
import dev.controlroom.api.ApiToken;
import dev.controlroom.store.Store;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local API (and the MCP server at {@code /mcp}) beside the window and the tray: the same server {@code serve} runs, on port 3333
 * (setting {@code api.port}) or the next free one, with the {@code api-token} beside the database;
 * setting {@code api.enabled = false} turns it off. Its address is kept in setting
 * {@value #ADDRESS_SETTING} for the window to show (empty while it is off).
 */
public final class WindowApi {
    public static final String ADDRESS_SETTING = "api.address";
    static final int DEFAULT_PORT = 3333;
    /** Ports tried after the wanted one before any free port is taken. */
    static final int NEXT_PORTS = 10;
    private static final Logger LOG = Logger.getLogger(WindowApi.class.getName());

    private WindowApi() {
    }

    /** Starts the API for {@code room} (with further {@code doors} on its listener, the MCP server) unless it is turned off; empty (and said once in the log) when it is off or cannot start. */
    public static Optional<ApiServer> start(ControlRoom room, java.util.List<dev.controlroom.api.ServletMount> doors) {
        Store store = room.store();
        if (store.settings().get("api.enabled").map(v -> v.strip().equalsIgnoreCase("false")).orElse(false)) {
            store.settings().put(ADDRESS_SETTING, "");
            LOG.info("the local API is off (setting api.enabled = false)");
            return Optional.empty();
        }
        int wanted = store.settings().get("api.port").flatMap(WindowApi::port).orElse(DEFAULT_PORT);
        ApiToken token = ApiToken.readOrCreate(store.file());
        RuntimeException last = null;
        for (int i = 0; i <= NEXT_PORTS; i++) {
            int port = i == NEXT_PORTS ? 0 : wanted + i;
            try {
                ApiServer api = ApiServer.start(store, room.orchestrator(), token, port, doors);
                store.settings().put(ADDRESS_SETTING, api.address());
                LOG.info("local API: " + api.address() + (port == wanted ? "" : " (port " + wanted + " was taken)"));
                return Optional.of(api);
            } catch (RuntimeException e) {
                last = e; // the port is taken: the next one
            }
        }
        store.settings().put(ADDRESS_SETTING, "");
        LOG.log(Level.WARNING, "the local API could not start; the window works without it", last);
        return Optional.empty();
    }

    private static Optional<Integer> port(String text) {
        try {
            int p = Integer.parseInt(text.strip());
            return p > 0 && p < 65536 ? Optional.of(p) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
