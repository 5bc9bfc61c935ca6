package dev.controlroom.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A custom agent's template runs through a real {@code /bin/sh}: whatever a prompt or a model name
 * holds (quotes, {@code $(...)}, backticks, the text {@code {model}}, newlines), the program gets
 * exactly the arguments the template means, and nothing else runs.
 */
class CustomTemplateTest {
    @TempDir
    Path dir;

    /** Runs the template with {@code printf '%s\0'} as the program: the arguments it got, one per NUL. */
    private List<String> argvOf(String template, Map<String, String> values) throws Exception {
        CustomTemplate.Expanded e = CustomTemplate.expand("printf '%s\\0' " + template, values);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", e.line()).directory(dir.toFile());
        pb.environment().putAll(e.environment());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        List<String> args = new ArrayList<>();
        ByteArrayOutputStream arg = new ByteArrayOutputStream();
        for (byte b : out) {
            if (b == 0) {
                args.add(arg.toString(StandardCharsets.UTF_8));
                arg.reset();
            } else {
                arg.write(b);
            }
        }
        return args;
    }

    @Test
    void aPromptThatTriesToRunACommandIsOnlyTextInEveryQuoting() throws Exception {
        String prompt = "do it $(touch pwned1) `touch pwned2` '; touch pwned3; echo ' \"; touch pwned4; \" {model}";
        Map<String, String> values = Map.of("prompt", prompt, "model", "m1; touch pwned5 #");
        assertEquals(List.of(prompt), argvOf("{prompt}", values));
        assertEquals(List.of(prompt), argvOf("\"{prompt}\"", values));
        assertEquals(List.of(prompt), argvOf("'{prompt}'", values));
        assertEquals(List.of("--p=" + prompt, "--model", "m1; touch pwned5 #"), argvOf("--p={prompt} --model {model}", values));
        assertEquals(List.of("say: " + prompt + "!"), argvOf("\"say: {prompt}!\"", values));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("pwned")), "nothing from a value ran");
        }
    }

    @Test
    void randomPromptsAndTemplatesGiveExactlyTheIntendedArguments() throws Exception {
        Random random = new Random(20261207);
        String alphabet = "ab -'\"\\$`(){};|&<>*?~#\n\t!%{}";
        List<String> shapes = List.of("{prompt}", "\"{prompt}\"", "'{prompt}'", "x{prompt}y", "\"a {prompt} b\"", "'a {prompt} b'");
        for (int trial = 0; trial < 150; trial++) {
            StringBuilder prompt = new StringBuilder();
            int length = 1 + random.nextInt(24);
            for (int i = 0; i < length; i++) {
                prompt.append(random.nextInt(10) == 0 ? "{model}" : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            String shape = shapes.get(random.nextInt(shapes.size()));
            String expected = shape.replace("'", "").replace("\"", "").replace("{prompt}", prompt);
            assertEquals(List.of(expected), argvOf(shape, Map.of("prompt", prompt.toString(), "model", "M")),
                    "template " + shape + " with prompt " + prompt);
        }
    }

    @Test
    void anEscapedQuoteInTheTemplateDoesNotChangeWhereValuesStand() throws Exception {
        assertEquals(List.of("it's", "v a l"), argvOf("it\\'s {prompt}", Map.of("prompt", "v a l")));
    }
}
