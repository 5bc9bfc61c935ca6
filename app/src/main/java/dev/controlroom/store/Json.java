package dev.controlroom.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/** The JSON columns' codec: string maps and string lists. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() { };
    private static final TypeReference<List<String>> LIST = new TypeReference<>() { };

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot encode " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static Map<String, String> map(String json) {
        try {
            return json == null || json.isBlank() ? Map.of() : MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON is not a string map: " + json, e);
        }
    }

    /** A watchdog setting as its column holds it: NULL when nothing is set at that level. */
    static String watchdog(dev.controlroom.domain.Watchdog w) {
        if (w.isEmpty()) {
            return null;
        }
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        w.silence().ifPresent(d -> m.put("silence_ms", d.toMillis()));
        w.onStuck().ifPresent(p -> m.put("on_stuck", p.id()));
        w.onRepeatedError().ifPresent(p -> m.put("on_repeated_error", p.id()));
        return write(m);
    }

    static dev.controlroom.domain.Watchdog watchdog(String json) {
        if (json == null || json.isBlank()) {
            return dev.controlroom.domain.Watchdog.NONE;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = MAPPER.readTree(json);
            java.util.function.Function<String, java.util.Optional<dev.controlroom.domain.Watchdog.Policy>> policy = key ->
                    java.util.Optional.ofNullable(n.get(key)).map(com.fasterxml.jackson.databind.JsonNode::asText)
                            .flatMap(dev.controlroom.domain.Watchdog.Policy::fromId);
            return new dev.controlroom.domain.Watchdog(
                    java.util.Optional.ofNullable(n.get("silence_ms")).map(v -> java.time.Duration.ofMillis(v.asLong())),
                    policy.apply("on_stuck"), policy.apply("on_repeated_error"));
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON is not a watchdog setting: " + json, e);
        }
    }

    static List<String> list(String json) {
        try {
            return json == null || json.isBlank() ? List.of() : MAPPER.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON is not a string list: " + json, e);
        }
    }
}
