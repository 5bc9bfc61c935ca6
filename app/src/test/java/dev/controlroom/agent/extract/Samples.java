package dev.controlroom.agent.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds sample output through a parser, as a session would: written samples from
 * {@code src/test/resources/extract}, or streams captured from the real CLIs.
 */
final class Samples {
    /** New Year's Eve, 21:00 UTC: reset times in the samples fall on the next day. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-31T21:00:00Z"), ZoneOffset.UTC);

    private Samples() {
    }

    static List<String> lines(String resource) {
        return read("/extract/" + resource);
    }

    /** A stream captured from the real CLI by its RealCli test ({@code agent-samples/CLI/SCENARIO.jsonl}). */
    static List<String> captured(String cli, String scenario) {
        return read("/agent-samples/" + cli + "/" + scenario + ".jsonl");
    }

    private static List<String> read(String resource) {
        try (InputStream in = Samples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines a real CLI printed, as the real-CLI tests recorded them ({@code agent-samples/CLI/SCENARIO.jsonl}). */
    static List<String> recorded(String cli, String scenario) {
        String resource = "/agent-samples/" + cli + "/" + scenario + ".jsonl";
        try (InputStream in = Samples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<AgentEvent> feed(OutputParser parser, String resource) {
        return feed(parser, lines(resource));
    }

    static List<AgentEvent> feed(OutputParser parser, List<String> lines) {
        List<AgentEvent> events = new ArrayList<>();
        for (String line : lines) {
            events.addAll(parser.onLine(line));
        }
        events.addAll(parser.onEnd());
        return events;
    }

    static List<AgentEvent> plain(String... lines) {
        return feed(new PlainParser(CLOCK), List.of(lines));
    }

    static <T extends AgentEvent> List<T> only(Class<T> type, List<AgentEvent> events) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static List<String> types(List<AgentEvent> events) {
        return events.stream().map(e -> e.type().id()).toList();
    }
}
