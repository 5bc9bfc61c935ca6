package dev.controlroom.domain;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One name per model, whoever reports it: Claude Code names the model of a session
 * {@code claude-opus-4-8[1m]} (the one-million-token context mode) in one line and
 * {@code claude-opus-4-8} in the next. Every parser, the token store and the price lookup go
 * through {@link #canonical}. Dated snapshots ({@code claude-sonnet-4-5-20250929}) keep their date:
 * they are models of their own that a price can tell apart, and a price without the date covers them
 * by prefix anyway.
 */
public final class ModelNames {
    /** A context-window mode after the name: {@code [1m]}, {@code [200k]}. */
    private static final Pattern CONTEXT_SUFFIX = Pattern.compile("\\s*\\[[^\\]]*\\]$");

    private ModelNames() {
    }

    /** The model's one name: trimmed, lower case, without a context-window suffix; empty for a blank name. */
    public static Optional<String> canonical(String reported) {
        if (reported == null) {
            return Optional.empty();
        }
        String name = reported.strip();
        String before;
        do {
            before = name;
            name = CONTEXT_SUFFIX.matcher(name).replaceFirst("").strip();
        } while (!name.equals(before));
        return name.isEmpty() ? Optional.empty() : Optional.of(name.toLowerCase(Locale.ROOT));
    }

    /** As {@link #canonical(String)}, for a name that may be absent. */
    public static Optional<String> canonical(Optional<String> reported) {
        return reported.flatMap(ModelNames::canonical);
    }
}
