package dev.controlroom.ui.review;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One row of a unified diff as the pane shows it: its kind, its old and new line numbers, its text without the +/- sign. */
public record DiffLine(Kind kind, OptionalInt oldNumber, OptionalInt newNumber, String text) {

    /** What a row is; each kind has its own style ({@code .diff-added}, ...). */
    public enum Kind {
        FILE_HEADER("diff-file-header"), HUNK("diff-hunk"), ADDED("diff-added"), REMOVED("diff-removed"), CONTEXT("diff-context"),
        NOTE("diff-note");

        private final String styleClass;

        Kind(String styleClass) {
            this.styleClass = styleClass;
        }

        public String styleClass() {
            return styleClass;
        }
    }

    private static final Pattern HUNK_HEADER = Pattern.compile("^@@ -(\\d+)(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@.*");

    /** The sign column: "+", "-" or blank. */
    public String sign() {
        return switch (kind) {
            case ADDED -> "+";
            case REMOVED -> "-";
            default -> "";
        };
    }

    /** Reads git's unified diff, numbering lines from each hunk header; git's file header lines are left out. */
    public static List<DiffLine> parse(List<String> unified) {
        List<DiffLine> rows = new ArrayList<>(unified.size());
        int oldNo = 0;
        int newNo = 0;
        boolean inHunk = false;
        for (String line : unified) {
            Matcher hunk = HUNK_HEADER.matcher(line);
            if (hunk.matches()) {
                oldNo = Integer.parseInt(hunk.group(1));
                newNo = Integer.parseInt(hunk.group(2));
                inHunk = true;
                rows.add(new DiffLine(Kind.HUNK, OptionalInt.empty(), OptionalInt.empty(), line));
            } else if (!inHunk || line.startsWith("diff --git ")) {
                inHunk = false;
                // The file's name is in the pane's title; git's own header lines would only take rows from the code.
                if (line.startsWith("diff --git ") || line.startsWith("index ") || line.startsWith("--- ") || line.startsWith("+++ ")) {
                    continue;
                }
                rows.add(new DiffLine(Kind.FILE_HEADER, OptionalInt.empty(), OptionalInt.empty(), line));
            } else if (line.startsWith("+")) {
                rows.add(new DiffLine(Kind.ADDED, OptionalInt.empty(), OptionalInt.of(newNo++), line.substring(1)));
            } else if (line.startsWith("-")) {
                rows.add(new DiffLine(Kind.REMOVED, OptionalInt.of(oldNo++), OptionalInt.empty(), line.substring(1)));
            } else if (line.startsWith("\\")) {
                rows.add(new DiffLine(Kind.NOTE, OptionalInt.empty(), OptionalInt.empty(), line));
            } else {
                rows.add(new DiffLine(Kind.CONTEXT, OptionalInt.of(oldNo++), OptionalInt.of(newNo++), line.isEmpty() ? "" : line.substring(1)));
            }
        }
        return rows;
    }
}
