package dev.controlroom.plan;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** What git and the file system would do with a plan's names, checked before anything runs. */
final class GitNames {
    /** Characters git refuses in a ref name (git check-ref-format), and white space. */
    private static final Pattern BAD_REF_CHARS = Pattern.compile("[\\x00-\\x20\\x7f~^:?*\\[\\\\]");

    private GitNames() {
    }

    /** Why a branch name is not one git takes as a branch (and never as an option), if it is not. */
    static Optional<String> branchProblem(String name) {
        if (name.isEmpty()) {
            return Optional.of("is empty");
        }
        if (name.startsWith("-")) {
            return Optional.of("starts with '-', which git would read as an option");
        }
        if (BAD_REF_CHARS.matcher(name).find()) {
            return Optional.of("holds a space, a control character or one of ~ ^ : ? * [ \\, which git refuses in a branch name");
        }
        if (name.contains("..") || name.contains("@{") || name.contains("//") || name.equals("@")) {
            return Optional.of("holds '..', '@{' or '//', which git refuses in a branch name");
        }
        if (name.startsWith("/") || name.endsWith("/") || name.endsWith(".") || name.endsWith(".lock")) {
            return Optional.of("starts or ends with '/', or ends with '.' or '.lock', which git refuses in a branch name");
        }
        for (String part : name.split("/")) {
            if (part.startsWith(".")) {
                return Optional.of("has a part starting with '.', which git refuses in a branch name");
            }
        }
        return Optional.empty();
    }

    /** Why a relative path would leave the folder it is relative to (absolute, or climbing out with '..'), if it would. */
    static Optional<String> insideProblem(String path) {
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            return Optional.of("is not a valid path (" + e.getReason() + ")");
        }
        if (p.isAbsolute() || path.startsWith("/") || path.startsWith("\\\\")) {
            return Optional.of("is an absolute path");
        }
        Path normal = p.normalize();
        if (normal.startsWith("..") || normal.toString().equals("..")) {
            return Optional.of("climbs out with '..'");
        }
        return Optional.empty();
    }
}
