package dev.controlroom.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scripted answer of a mock model server. The same script drives both wire formats: a
 * {@link MockAnthropicServer} renders a tool call as a {@code tool_use} block, a
 * {@link MockResponsesServer} as a {@code function_call} item.
 */
public sealed interface Turn permits Turn.Reply, Turn.HttpError, Turn.StreamError, Turn.EmptyStream, Turn.Hang, Turn.Attempts, Turn.Paced {

    /**
     * Token counts as each API reports them. Anthropic: {@code input_tokens} excludes cache reads and
     * writes. OpenAI Responses: {@code input_tokens} already includes the cached ones.
     */
    record Usage(int inputTokens, int outputTokens, int cacheReadInputTokens, int cacheCreationInputTokens) {
        public static final Usage DEFAULT = new Usage(10, 5, 0, 0);
    }

    sealed interface Block permits Text, ToolCall {
    }

    record Text(String text) implements Block {
    }

    /** A tool the CLI should run itself: {@code Write}, {@code Bash}, or Codex's {@code exec_command}. */
    record ToolCall(String name, Map<String, Object> input) implements Block {
        public ToolCall {
            input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
        }
    }

    /** A normal answer: text and tool calls in order. The stop reason follows: tool use if it calls a tool. */
    record Reply(List<Block> blocks, Usage usage) implements Turn {
        public Reply {
            blocks = List.copyOf(blocks);
        }

        public Reply andText(String text) {
            return with(new Text(text));
        }

        public Reply andToolUse(String name, Map<String, ?> input) {
            return with(new ToolCall(name, new LinkedHashMap<>(input)));
        }

        public Reply withUsage(int inputTokens, int outputTokens) {
            return withUsage(new Usage(inputTokens, outputTokens, 0, 0));
        }

        public Reply withUsage(Usage newUsage) {
            return new Reply(blocks, newUsage);
        }

        public boolean callsTools() {
            return blocks.stream().anyMatch(ToolCall.class::isInstance);
        }

        private Reply with(Block block) {
            List<Block> more = new ArrayList<>(blocks);
            more.add(block);
            return new Reply(more, usage);
        }
    }

    /** The request fails with this status and an error body in the API's own format. */
    record HttpError(int status, String type, String message, Map<String, String> headers) implements Turn {
        public HttpError {
            headers = Map.copyOf(headers);
        }

        public HttpError withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new HttpError(status, type, message, more);
        }
    }

    /** The stream starts with 200 and then fails: Anthropic's {@code error} event, OpenAI's {@code response.failed}. */
    record StreamError(String type, String message) implements Turn {
    }

    /**
     * The stream starts ({@code message_start}, {@code response.created}) and ends without content or error:
     * Claude Code then asks again without streaming (its non-streaming fallback).
     */
    record EmptyStream() implements Turn {
    }

    /** The request is accepted and never answered, until the server closes. */
    record Hang() implements Turn {
    }

    /**
     * A streamed reply sent slowly: each event after {@code perEvent}; with {@code stallAfter} of zero
     * or more, the stream stops after that many events and never goes on (a model stalled mid-stream).
     */
    record Paced(Reply reply, Duration perEvent, int stallAfter) implements Turn {
    }

    /** Different answers to repeated attempts at the same turn (the CLI retrying): the last one repeats. */
    record Attempts(List<Turn> inOrder) implements Turn {
        public Attempts {
            inOrder = List.copyOf(inOrder);
            if (inOrder.isEmpty() || inOrder.stream().anyMatch(Attempts.class::isInstance)) {
                throw new IllegalArgumentException("attempts need at least one plain turn, and no nested attempts");
            }
        }

        public Turn attempt(int number) {
            return inOrder.get(Math.min(number, inOrder.size() - 1));
        }
    }

    static Reply text(String text) {
        return new Reply(List.of(new Text(text)), Usage.DEFAULT);
    }

    static Reply toolUse(String name, Map<String, ?> input) {
        return new Reply(List.of(new ToolCall(name, new LinkedHashMap<>(input))), Usage.DEFAULT);
    }

    /** E.g. {@code httpError(500, "api_error", ...)}, {@code httpError(529, "overloaded_error", ...)}. */
    static HttpError httpError(int status, String type, String message) {
        return new HttpError(status, type, message, Map.of());
    }

    /** 429 with {@code retry-after}; each server adds its API's rate-limit headers. */
    static HttpError rateLimited(Duration retryAfter) {
        return httpError(429, "rate_limit_error", "Mock rate limit: too many requests")
                .withHeader("retry-after", Long.toString(retryAfter.toSeconds()));
    }

    static StreamError streamError(String type, String message) {
        return new StreamError(type, message);
    }

    /** The reply streamed one event every {@code perEvent}: a slow model that keeps talking. */
    static Paced slowly(Reply reply, Duration perEvent) {
        return new Paced(reply, perEvent, -1);
    }

    /** The reply's stream starts (headers and the first events) and then stops for good. */
    static Paced stalls(Reply reply, int afterEvents) {
        return new Paced(reply, Duration.ZERO, afterEvents);
    }

    static EmptyStream emptyStream() {
        return new EmptyStream();
    }

    static Hang hang() {
        return new Hang();
    }

    static Attempts onAttempts(Turn first, Turn... later) {
        List<Turn> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(later));
        return new Attempts(all);
    }
}
