package dev.controlroom.domain;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What went wrong, in the words of whoever said it. */
public final class Failures {
    private Failures() {
    }

    /**
     * The message a person should read: wrappers that only carry another failure across a thread
     * or a reflective call (completion, execution) and failures without a message of their own are
     * looked through; the first failure that says something is the one shown, with its type's name
     * when nothing says anything.
     */
    public static String rootMessage(Throwable t) {
        Throwable at = t;
        while (at.getCause() != null && at.getCause() != at && (isWrapper(at) || at.getMessage() == null)) {
            at = at.getCause();
        }
        return at.getMessage() == null ? at.getClass().getSimpleName() : at.getMessage();
    }

    /** The failure a wrapper carries, or {@code t} itself. */
    public static Throwable unwrap(Throwable t) {
        Throwable at = t;
        while (isWrapper(at) && at.getCause() != null) {
            at = at.getCause();
        }
        return at;
    }

    private static boolean isWrapper(Throwable t) {
        return t instanceof CompletionException || t instanceof ExecutionException || t instanceof UndeclaredThrowableException
                || t instanceof InvocationTargetException;
    }
}
