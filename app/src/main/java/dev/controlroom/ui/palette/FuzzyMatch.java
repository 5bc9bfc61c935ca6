package dev.controlroom.ui.palette;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * "Fuzzy-ish" matching for the palette: the query's letters must appear in order in the title;
 * matches at word starts and runs of consecutive letters score higher, so "mt" finds "Merge
 * selected task" before "Focus terminals", and a plain substring beats a scattered one.
 */
public final class FuzzyMatch {
    private FuzzyMatch() {
    }

    /** The score of {@code title} for {@code query} (higher is better), or empty when it does not match. */
    public static OptionalInt score(String query, String title) {
        String q = query.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        String t = title.toLowerCase(Locale.ROOT);
        if (q.isEmpty()) {
            return OptionalInt.of(0);
        }
        int score = 0;
        int from = 0;
        int previous = -2;
        for (char c : q.toCharArray()) {
            int at = t.indexOf(c, from);
            if (at < 0) {
                return OptionalInt.empty();
            }
            boolean wordStart = at == 0 || !Character.isLetterOrDigit(t.charAt(at - 1));
            score += 1 + (wordStart ? 8 : 0) + (at == previous + 1 ? 5 : 0);
            previous = at;
            from = at + 1;
        }
        if (t.contains(query.strip().toLowerCase(Locale.ROOT))) {
            score += 20;
        }
        return OptionalInt.of(score - t.length() / 10);
    }
}
