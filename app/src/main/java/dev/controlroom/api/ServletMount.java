package dev.controlroom.api;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * Another door served by the API's listener at {@code path} (the MCP server at {@code /mcp}): a
 * servlet behind the same {@link LoopbackGuard} as every route, so it needs the same token, Host and
 * Origin.
 */
public record ServletMount(String path, HttpServlet servlet) {

    void mountOn(ServletContextHandler handler, LoopbackGuard guard) {
        ServletHolder holder = new ServletHolder(servlet);
        // streamed answers (server-sent events) outlive the request's thread
        holder.setAsyncSupported(true);
        handler.addServlet(holder, path);
        FilterHolder filter = new FilterHolder(new Guarded(guard));
        filter.setAsyncSupported(true);
        handler.addFilter(filter, path, EnumSet.of(DispatcherType.REQUEST));
    }

    /** The guard's refusal is the API's: a problem body, nothing reaches the servlet. */
    private record Guarded(LoopbackGuard guard) implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            HttpServletRequest req = (HttpServletRequest) request;
            HttpServletResponse res = (HttpServletResponse) response;
            try {
                guard.check(req.getLocalPort(), req.getHeader("Host"), req.getHeader("Origin"), req.getHeader("Authorization"), res::setHeader);
            } catch (Problem p) {
                res.setStatus(p.status());
                res.setContentType(Respond.PROBLEM_JSON);
                res.getOutputStream().write(ApiJson.write(p.body(req.getRequestURI())).getBytes(StandardCharsets.UTF_8));
                return;
            }
            chain.doFilter(request, response);
        }
    }
}
