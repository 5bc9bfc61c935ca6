package dev.controlroom.agent.extract;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/** Lenient reading of event fields: a field that is missing, null or of another type is simply absent. */
final class JsonFields {
    private JsonFields() {
    }

    /** A non-blank string field. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isBlank() ? Optional.of(value.asText()) : Optional.empty();
    }

    static Optional<Long> number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? Optional.of(value.asLong()) : Optional.empty();
    }

    static Optional<Double> decimal(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNumber() ? Optional.of(value.asDouble()) : Optional.empty();
    }

    /** The first of the named fields that holds a number, or 0. */
    static long count(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.path(field);
            if (value.isNumber()) {
                return value.asLong();
            }
        }
        return 0;
    }

    /** The first of the named fields that holds a number. */
    static Optional<Long> firstNumber(JsonNode node, String... fields) {
        for (String field : fields) {
            Optional<Long> value = number(node, field);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    /** A value as compact JSON; {@code {}} when absent. */
    static String json(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? "{}" : value.toString();
    }

    /**
     * Readable text of a content value: a string as it is, a list of blocks as their texts on separate
     * lines, an object by its "text" or "message", anything else as JSON.
     */
    static String content(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isArray()) {
            StringJoiner joined = new StringJoiner("\n");
            for (JsonNode item : value) {
                String text = content(item);
                if (!text.isEmpty()) {
                    joined.add(text);
                }
            }
            return joined.toString();
        }
        if (value.isObject()) {
            if (value.has("text")) {
                return content(value.get("text"));
            }
            if (value.has("message")) {
                return content(value.get("message"));
            }
            if (value.has("type") && value.size() <= 2) {
                return ""; // an image or other block without text
            }
        }
        return value.toString();
    }

    /** The value of the first field whose name, without "_" and case, starts with {@code prefix}. */
    static JsonNode fieldStartingWith(JsonNode node, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getKey().replace("_", "").toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return field.getValue();
            }
        }
        return node.path(prefix);
    }

    /** A point in time given as epoch seconds or millis, or as an ISO string. */
    static Optional<Instant> instant(JsonNode value) {
        if (value.isNumber()) {
            return Optional.of(RateLimits.epoch(value.asLong()));
        }
        return value.isTextual() ? RateLimits.instant(value.asText()) : Optional.empty();
    }
}
