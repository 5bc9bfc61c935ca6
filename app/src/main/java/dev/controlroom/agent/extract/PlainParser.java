package dev.controlroom.agent.extract;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Reads plain output (shell commands, Aider, Ollama, custom templates, and whatever a JSON-streaming
 * CLI prints outside its stream) with the {@link PlainPatterns}, keeping what spans lines: a stack
 * trace or Python traceback being read, go test counts per package, a node --test summary block.
 * Not thread-safe: one per session.
 */
public final class PlainParser implements OutputParser {
    private final Clock clock;
    private boolean inStackTrace;
    private boolean inTraceback;
    private String tracebackLast = "";
    private boolean inNpmError;
    private int goPassed;
    private int goFailed;
    private int goSkipped;
    private final Map<String, Integer> nodeSummary = new HashMap<>();

    public PlainParser(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<AgentEvent> onLine(String line) {
        List<AgentEvent> out = new ArrayList<>(2);
        if (!nodeSummary.isEmpty() && !PlainPatterns.NODE_SUMMARY.matcher(line).matches()) {
            flushNodeSummary(out);
        }
        if (inTraceback) {
            readTraceback(line, out);
        } else if (inStackTrace && PlainPatterns.isStackFrame(line)) {
            return out; // the frames belong to the error already reported
        } else {
            inStackTrace = false;
            classify(line, out);
        }
        return out.isEmpty() ? List.of() : out;
    }

    @Override
    public List<AgentEvent> onEnd() {
        List<AgentEvent> out = new ArrayList<>(1);
        flushNodeSummary(out);
        if (inTraceback) {
            inTraceback = false;
            out.add(AgentEvent.Error.of("Traceback (most recent call last), cut off at: " + tracebackLast.strip()));
        }
        return out.isEmpty() ? List.of() : out;
    }

    /** A traceback lists indented frames; the first line back at the margin is the exception. */
    private void readTraceback(String line, List<AgentEvent> out) {
        if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
            if (!line.isBlank()) {
                tracebackLast = line;
            }
            return;
        }
        inTraceback = false;
        out.add(RateLimits.failure(line, false, clock));
    }

    private void classify(String line, List<AgentEvent> out) {
        if (line.isBlank()) {
            inNpmError = false;
            return;
        }
        String lower = line.toLowerCase(Locale.ROOT);
        if (PlainPatterns.mayBeTestSummary(line, lower) && readTestLine(line, out)) {
            inNpmError = false;
            return;
        }
        if (lower.contains("traceback") && PlainPatterns.isTracebackStart(line)) {
            inTraceback = true;
            tracebackLast = line;
            return;
        }
        boolean npmError = false;
        if (PlainPatterns.mayBeError(line, lower)) {
            if (PlainPatterns.isExceptionHeader(line)) {
                inStackTrace = true;
                out.add(RateLimits.failure(line, false, clock));
            } else if (PlainPatterns.isNpmError(line)) {
                // npm writes one error over many prefixed lines: the first with text says what it is
                boolean hasText = !line.substring(line.startsWith("npm error") ? 9 : 8).isBlank();
                npmError = inNpmError || hasText;
                if (!inNpmError && hasText) {
                    out.add(RateLimits.failure(line, false, clock));
                }
            } else if (PlainPatterns.isErrorLine(line, lower)) {
                out.add(RateLimits.failure(line, false, clock));
            }
        }
        inNpmError = npmError;
        if (out.isEmpty() && RateLimits.mentions(line, lower)) {
            out.add(new AgentEvent.RateLimited(RateLimits.resetTime(line, clock), line.strip()));
        }
        if (PlainPatterns.mayNeedInput(line, lower)) {
            PlainPatterns.needsInput(line).ifPresent(out::add);
        }
    }

    /** True when the line is part of a test report (and so is nothing else). */
    private boolean readTestLine(String line, List<AgentEvent> out) {
        Matcher go = PlainPatterns.GO_TEST.matcher(line);
        if (go.lookingAt()) {
            switch (go.group(1)) {
                case "PASS" -> goPassed++;
                case "FAIL" -> goFailed++;
                default -> goSkipped++;
            }
            return true;
        }
        Matcher pkg = PlainPatterns.GO_PACKAGE.matcher(line);
        if (pkg.lookingAt()) {
            // a failed package without a listed failing test failed to build or set up: count it once
            int failed = pkg.group(1).equals("FAIL") ? Math.max(1, goFailed) : goFailed;
            out.add(new AgentEvent.TestResult("go", goPassed, failed, goSkipped));
            goPassed = 0;
            goFailed = 0;
            goSkipped = 0;
            return true;
        }
        if (PlainPatterns.NODE_SUMMARY.matcher(line).matches()) {
            String[] parts = line.substring(2).split(" ");
            if (parts[0].equals("duration_ms")) {
                flushNodeSummary(out);
            } else {
                nodeSummary.put(parts[0], (int) Double.parseDouble(parts[1]));
            }
            return true;
        }
        Optional<AgentEvent.TestResult> summary = PlainPatterns.testSummary(line);
        summary.ifPresent(out::add);
        return summary.isPresent();
    }

    private void flushNodeSummary(List<AgentEvent> out) {
        if (nodeSummary.containsKey("pass") || nodeSummary.containsKey("fail")) {
            Map<String, Integer> n = nodeSummary;
            out.add(new AgentEvent.TestResult("node", n.getOrDefault("pass", 0),
                    n.getOrDefault("fail", 0) + n.getOrDefault("cancelled", 0),
                    n.getOrDefault("skipped", 0) + n.getOrDefault("todo", 0)));
        }
        nodeSummary.clear();
    }
}
