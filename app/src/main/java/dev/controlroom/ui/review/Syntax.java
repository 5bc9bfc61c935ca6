package dev.controlroom.ui.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cheap token colouring for diff lines: keywords, strings, comments and numbers of a few common
 * languages, one line at a time (a diff shows fragments, so no state is carried between lines; a
 * block comment that starts on an earlier line is not known here, which is acceptable for a review).
 */
public final class Syntax {

    /** A piece of a line and what it is; {@link Kind#styleClass()} colours it. */
    public record Span(Kind kind, String text) {
    }

    public enum Kind {
        PLAIN("tok-plain"), KEYWORD("tok-keyword"), STRING("tok-string"), COMMENT("tok-comment"), NUMBER("tok-number");

        private final String styleClass;

        Kind(String styleClass) {
            this.styleClass = styleClass;
        }

        public String styleClass() {
            return styleClass;
        }
    }

    /** The languages told apart, by their rules. */
    public enum Language {
        JAVA(Set.of("abstract", "boolean", "break", "byte", "case", "catch", "char", "class", "continue", "default", "do", "double",
                "else", "enum", "extends", "final", "finally", "float", "for", "if", "implements", "import", "instanceof", "int",
                "interface", "long", "new", "package", "private", "protected", "public", "record", "return", "sealed", "short",
                "static", "super", "switch", "synchronized", "this", "throw", "throws", "try", "var", "void", "volatile", "while",
                "yield", "true", "false", "null", "permits"), "//", true, "\"'"),
        SCRIPT(Set.of("async", "await", "break", "case", "catch", "class", "const", "continue", "default", "delete", "do", "else",
                "enum", "export", "extends", "false", "finally", "for", "from", "function", "if", "implements", "import", "in",
                "instanceof", "interface", "let", "new", "null", "of", "private", "public", "readonly", "return", "static", "super",
                "switch", "this", "throw", "true", "try", "type", "typeof", "undefined", "var", "void", "while", "yield"), "//", true, "\"'`"),
        PYTHON(Set.of("and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else", "except",
                "False", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "None", "nonlocal", "not", "or",
                "pass", "raise", "return", "True", "try", "while", "with", "yield", "self"), "#", false, "\"'"),
        GO(Set.of("break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough", "for", "func", "go", "goto",
                "if", "import", "interface", "map", "package", "range", "return", "select", "struct", "switch", "type", "var", "nil",
                "true", "false", "error", "string", "int", "bool"), "//", true, "\"'`"),
        RUST(Set.of("as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn", "for",
                "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static",
                "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "Some", "None", "Ok", "Err"), "//", true, "\""),
        SHELL(Set.of("if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "function",
                "return", "local", "export", "set", "echo", "exit", "source", "readonly", "shift"), "#", false, "\"'"),
        YAML(Set.of("true", "false", "null", "yes", "no", "on", "off"), "#", false, "\"'"),
        JSON(Set.of("true", "false", "null"), "", false, "\""),
        MARKDOWN(Set.of(), "", false, "`"),
        PLAIN_TEXT(Set.of(), "", false, "");

        final Set<String> keywords;
        final String lineComment;
        final boolean blockComments;
        final String quotes;

        Language(Set<String> keywords, String lineComment, boolean blockComments, String quotes) {
            this.keywords = keywords;
            this.lineComment = lineComment;
            this.blockComments = blockComments;
            this.quotes = quotes;
        }
    }

    private Syntax() {
    }

    /** The language of a file, by its extension or name. */
    public static Language languageOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
        return switch (ext) {
            case "java", "kt", "kts", "scala", "groovy", "gradle", "c", "h", "cpp", "hpp", "cs", "swift" -> Language.JAVA;
            case "js", "mjs", "cjs", "jsx", "ts", "tsx" -> Language.SCRIPT;
            case "py" -> Language.PYTHON;
            case "go" -> Language.GO;
            case "rs" -> Language.RUST;
            case "sh", "bash", "zsh" -> Language.SHELL;
            case "yaml", "yml", "toml" -> Language.YAML;
            case "json" -> Language.JSON;
            case "md", "markdown" -> Language.MARKDOWN;
            default -> name.equals("dockerfile") || name.equals("makefile") ? Language.SHELL : Language.PLAIN_TEXT;
        };
    }

    /** The line cut into spans; joined they give the line back unchanged. */
    public static List<Span> tokens(Language lang, String line) {
        List<Span> out = new ArrayList<>();
        if (lang == Language.PLAIN_TEXT || line.isEmpty()) {
            out.add(new Span(Kind.PLAIN, line));
            return out;
        }
        if (lang == Language.MARKDOWN && line.stripLeading().startsWith("#")) {
            out.add(new Span(Kind.KEYWORD, line));
            return out;
        }
        StringBuilder plain = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (!lang.lineComment.isEmpty() && line.startsWith(lang.lineComment, i) && (lang != Language.SHELL || i == 0
                    || Character.isWhitespace(line.charAt(i - 1)))) {
                flush(out, plain);
                out.add(new Span(Kind.COMMENT, line.substring(i)));
                return out;
            }
            if (lang.blockComments && line.startsWith("/*", i)) {
                int end = line.indexOf("*/", i + 2);
                int stop = end < 0 ? n : end + 2;
                flush(out, plain);
                out.add(new Span(Kind.COMMENT, line.substring(i, stop)));
                i = stop;
                continue;
            }
            if (lang.quotes.indexOf(c) >= 0) {
                int j = i + 1;
                while (j < n && line.charAt(j) != c) {
                    j += line.charAt(j) == '\\' ? 2 : 1;
                }
                int stop = Math.min(n, j + 1);
                flush(out, plain);
                out.add(new Span(Kind.STRING, line.substring(i, stop)));
                i = stop;
                continue;
            }
            if (Character.isDigit(c) && (i == 0 || !Character.isLetterOrDigit(line.charAt(i - 1)) && line.charAt(i - 1) != '_')) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '.' || line.charAt(j) == '_')) {
                    j++;
                }
                flush(out, plain);
                out.add(new Span(Kind.NUMBER, line.substring(i, j)));
                i = j;
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(line.charAt(j)) || line.charAt(j) == '_'
                        || line.charAt(j) == '-' && lang == Language.YAML)) {
                    j++;
                }
                String word = line.substring(i, j);
                boolean yamlKey = lang == Language.YAML && j < n && line.charAt(j) == ':' && line.substring(0, i).isBlank();
                if (yamlKey || lang.keywords.contains(word)) {
                    flush(out, plain);
                    out.add(new Span(Kind.KEYWORD, word));
                } else {
                    plain.append(word);
                }
                i = j;
                continue;
            }
            plain.append(c);
            i++;
        }
        flush(out, plain);
        return out;
    }

    private static void flush(List<Span> out, StringBuilder plain) {
        if (!plain.isEmpty()) {
            out.add(new Span(Kind.PLAIN, plain.toString()));
            plain.setLength(0);
        }
    }
}
