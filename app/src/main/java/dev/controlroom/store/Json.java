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

    static List<String> list(String json) {
        try {
            return json == null || json.isBlank() ? List.of() : MAPPER.readValue(json, LIST);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON is not a string list: " + json, e);
        }
    }
}
