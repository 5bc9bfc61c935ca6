package dev.controlroom.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.controlroom.api.Problem;
import dev.controlroom.api.Requests;

import java.util.Map;
import java.util.Optional;

/** A tool call's arguments, read by the API's own rules, so a bad argument is refused in the API's words, naming it. */
final class Arguments {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private final ObjectNode node;

    private Arguments(ObjectNode node) {
        this.node = node;
    }

    static Arguments of(Map<String, Object> arguments) {
        return new Arguments(PLAIN.valueToTree(arguments == null ? Map.of() : arguments));
    }

    /** The arguments as a request body (for the services that take one). */
    ObjectNode body() {
        return node.deepCopy();
    }

    Optional<Long> number(String name) {
        return Requests.number(node, name);
    }

    long requiredNumber(String name) {
        return number(name).orElseThrow(() -> Problem.badField(name, name + " is required"));
    }

    Optional<String> text(String name) {
        return Requests.text(node, name).map(String::strip).filter(s -> !s.isEmpty());
    }

    String requiredText(String name) {
        return Requests.requiredText(node, name);
    }

    /** A bounded count ({@code limit}, {@code offset}, {@code from}) with its default. */
    int count(String name, int fallback, int min, int max) {
        long value = number(name).orElse((long) fallback);
        if (value < min || value > max) {
            throw Problem.badField(name, name + " must be between " + min + " and " + max + ", was " + value);
        }
        return (int) value;
    }

    void only(java.util.Set<String> allowed, String what) {
        Requests.onlyFields(node, allowed, what);
    }
}
