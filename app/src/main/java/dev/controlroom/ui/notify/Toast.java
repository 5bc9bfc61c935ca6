package dev.controlroom.ui.notify;

import dev.controlroom.domain.Event;
import dev.controlroom.domain.Severity;

import java.util.Optional;

/**
 * One desktop notification.
 *
 * @param about the event a click on it opens (its task), when it is about one
 */
public record Toast(String title, String text, Severity severity, Optional<Event> about) {
}
