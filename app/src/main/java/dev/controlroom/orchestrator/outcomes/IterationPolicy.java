package dev.controlroom.orchestrator.outcomes;

import dev.controlroom.domain.Failures;
import dev.controlroom.domain.Fingerprint;
import dev.controlroom.domain.QaEvidence;
import dev.controlroom.orchestrator.port.AgentRuntime;
import dev.controlroom.orchestrator.state.LiveSession;

import java.util.List;
import java.util.Optional;

/** What a failed verification means for an AI session: the next iteration's prompt, or why to stop early. */
public final class IterationPolicy {
    private IterationPolicy() {
    }

    /** An iteration that repeats the last failure, or changed nothing, will not do better next time. */
    public static Optional<String> stopEarly(LiveSession live, Optional<String> failure, Optional<String> changes) {
        if (failure.isPresent() && failure.equals(live.lastFailureFingerprint())) {
            return Optional.of("the same verification failure twice in a row");
        }
        if (changes.isPresent() && changes.equals(live.lastChangeFingerprint())) {
            return Optional.of("the agent changed nothing since the last iteration");
        }
        return Optional.empty();
    }

    /** The structured failure the next iteration is asked to fix. */
    public static String feedback(Optional<AgentRuntime.Check> failed, String summary) {
        StringBuilder sb = new StringBuilder("Control Room ran the task's verification and it failed.\n");
        failed.ifPresentOrElse(f -> {
            sb.append("Command: ").append(f.command()).append('\n');
            sb.append("Result: ").append(f.exitCode().map(x -> "exit code " + x).orElse("timed out")).append('\n');
            sb.append("Output (last lines):\n").append(lastLines(f.output(), 40)).append('\n');
        }, () -> sb.append(summary).append('\n'));
        sb.append("Fix the cause, then finish the task so that the verification passes.");
        return sb.toString();
    }

    /** One line on the verdict: passed, which command failed and how, or why it could not run. */
    public static String summary(Optional<Throwable> error, Optional<AgentRuntime.Check> failed) {
        return error.map(e -> "verification could not run: " + Failures.rootMessage(e))
                .orElseGet(() -> failed.map(f -> "verification `" + f.command() + "` " + f.exitCode().map(x -> "exited with code " + x)
                        .orElse("timed out")).orElse("verification passed"));
    }

    /** The same failure on another line, run or path reads the same. */
    public static Optional<String> fingerprint(Optional<AgentRuntime.Check> failed) {
        return failed.map(f -> Fingerprint.of(f.command() + " " + f.exitCode().map(String::valueOf).orElse("timeout")
                + " " + lastLines(f.output(), 5)));
    }

    public static List<QaEvidence> evidence(List<AgentRuntime.Check> checks) {
        return checks.stream().map(k -> new QaEvidence("custom", k.command(), k.exitCode(), k.passed(), k.output(), k.durationMs())).toList();
    }

    static String lastLines(String text, int n) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
