package dev.controlroom.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.api.ApiServer;
import dev.controlroom.api.ServletMount;
import dev.controlroom.app.AppInfo;
import dev.controlroom.orchestrator.Orchestrator;
import dev.controlroom.store.Store;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;

/**
 * Control Room's MCP server on its two transports: streamable HTTP at {@code /mcp} on the API's
 * listener (behind the API's token, Host and Origin checks) and stdio for a client that starts
 * {@code control-room mcp} itself. Both serve the same {@link McpFeatures}.
 */
public final class McpDoors {
    /** Where the HTTP transport answers on the API's listener. */
    public static final String PATH = "/mcp";

    private McpDoors() {
    }

    /** The MCP server as a servlet for the API's listener ({@link ApiServer#start(Store, Orchestrator, dev.controlroom.api.ApiToken, int, java.util.List)}). */
    public static ServletMount http(Store store, Orchestrator engine) {
        McpJsonMapper mapper = mapper();
        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(mapper).mcpEndpoint(PATH).maxRequestSize((int) ApiServer.MAX_BODY_BYTES).build();
        server(McpServer.sync(transport).serverInfo(info()), new McpFeatures(store, engine, mapper));
        return new ServletMount(PATH, transport);
    }

    /**
     * Serves one client on {@code in} and {@code out} (a process's stdin and stdout: nothing else may
     * write to {@code out}) until it closes {@code in}.
     */
    public static Stdio stdio(Store store, Orchestrator engine, InputStream in, OutputStream out) {
        McpJsonMapper mapper = mapper();
        CountDownLatch ended = new CountDownLatch(1);
        StdioServerTransportProvider transport = new StdioServerTransportProvider(mapper, new EndAware(in, ended), out);
        McpSyncServer server = server(McpServer.sync(transport).serverInfo(info()), new McpFeatures(store, engine, mapper));
        return new Stdio(server, ended);
    }

    /** A stdio server: {@link #awaitEnd()} returns when the client has closed its side. */
    public static final class Stdio implements AutoCloseable {
        private final McpSyncServer server;
        private final CountDownLatch ended;

        private Stdio(McpSyncServer server, CountDownLatch ended) {
            this.server = server;
            this.ended = ended;
        }

        public void awaitEnd() throws InterruptedException {
            ended.await();
        }

        /** Ends the stdio server early (SIGTERM). */
        public void end() {
            ended.countDown();
        }

        @Override
        public void close() {
            server.closeGracefully();
        }
    }

    private static <S extends McpServer.SyncSpecification<S>> McpSyncServer server(McpServer.SyncSpecification<S> spec, McpFeatures features) {
        return spec.capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
                .instructions("Control Room runs AI coding agents on task lists (plans). Import a plan or add tasks, start a run, "
                        + "read runs, tasks and session output, and answer an agent that waits on a question.")
                // one set of rules: every argument is checked by the same code as the API's requests, whose refusals name the field
                .validateToolInputs(false)
                .tools(features.tools()).resources(features.resources()).resourceTemplates(features.resourceTemplates())
                .build();
    }

    private static McpSchema.Implementation info() {
        return new McpSchema.Implementation("control-room", AppInfo.version());
    }

    private static McpJsonMapper mapper() {
        return new JacksonMcpJsonMapper(new ObjectMapper());
    }

    /** Stdin that says when the client closed it: the stdio server's session ends with it. */
    private static final class EndAware extends FilterInputStream {
        private final CountDownLatch ended;

        EndAware(InputStream in, CountDownLatch ended) {
            super(in);
            this.ended = ended;
        }

        @Override
        public int read() throws IOException {
            return seen(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return seen(super.read(b, off, len));
            } catch (IOException e) {
                ended.countDown();
                throw e;
            }
        }

        private int seen(int n) {
            if (n < 0) {
                ended.countDown();
            }
            return n;
        }
    }
}
