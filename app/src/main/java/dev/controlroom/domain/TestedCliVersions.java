package dev.controlroom.domain;

import java.util.Map;
import java.util.Optional;

/**
 * The newest version of each agent CLI whose output Control Room was checked against (the real-CLI
 * tests pin them). A newer one may print what the parsers do not know yet: it still runs, with a warning.
 */
public final class TestedCliVersions {
    /** One line per CLI; a CLI without a line is never warned about. Gemini CLI, OpenCode, Aider, Ollama: add theirs here. */
    private static final Map<AgentProfile, String> NEWEST = Map.of(
            AgentProfile.CLAUDE, "2.1.197",
            AgentProfile.CODEX, "0.169.0");

    private TestedCliVersions() {
    }

    public static Optional<String> newest(AgentProfile profile) {
        return Optional.ofNullable(NEWEST.get(profile));
    }

    /** The warning for a version newer than the newest tested, naming both; empty for a tested, older or unreadable one. */
    public static Optional<String> warning(AgentProfile profile, String cli, String version) {
        return newest(profile).filter(tested -> compare(version, tested) > 0)
                .map(tested -> cli + " " + version + " is newer than the newest version tested (" + tested
                        + "): if its output changed, what Control Room reads from it may be incomplete");
    }

    /** Compares dotted versions number by number ("2.1.10" after "2.1.9"); a suffix after the numbers is ignored. */
    static int compare(String a, String b) {
        long[] x = numbers(a);
        long[] y = numbers(b);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Long.compare(i < x.length ? x[i] : 0, i < y.length ? y[i] : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static long[] numbers(String version) {
        String core = version.strip().split("[-+ ]", 2)[0];
        String[] parts = core.split("\\.");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String digits = parts[i].replaceAll("\\D.*$", "");
            out[i] = digits.isEmpty() ? 0 : Long.parseLong(digits.length() > 18 ? digits.substring(0, 18) : digits);
        }
        return out;
    }
}
