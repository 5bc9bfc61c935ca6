package dev.controlroom.agent;

import dev.controlroom.domain.OutputBatch;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every secret format we know, in every context an agent prints it in (inside a JSON string after
 * an escaped newline, tab, quote or backslash, after a colour code, raw or JSON-escaped), split
 * across two terminal reads at every offset: no 8-character piece of it reaches the kept raw bytes,
 * the clean lines or the live view.
 */
class SecretCorpusTest {
    /** A secret as printed, and the part of it that is secret (a kind's public prefix such as sk-ant- may stay). */
    record Secret(String printed, String body) {
        static Secret of(String printed, String prefix) {
            return new Secret(printed, printed.substring(prefix.length()));
        }

        static Secret assigned(String name, String value) {
            return new Secret(name + value, value);
        }
    }

    static final List<Secret> SECRETS = List.of(
            Secret.of("sk-ant-api03-Xk9LmN3pRtYv5BfGq2WcA7hJ3XdYl0MnO4qSuZw6C-abc", "sk-ant-"),
            Secret.of("sk-proj-4fGq2WcXk9LmN3pRtYv5BA7hJ3XdYl0Mn", "sk-proj-"),
            Secret.of("sk_live_51HbCdEfGhIjKlMnOpQrStUv", "sk_live_"),
            Secret.of("rk_live_51HbCdEfGhIjKlMnOpQrStUv", "rk_live_"),
            Secret.of("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7", "AIza"),
            Secret.of("ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "ghp_"),
            Secret.of("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123", "github_pat_"),
            Secret.of("glpat-Ab3De5Gh7Jk9Mn1Pq3St", "glpat-"),
            Secret.of("hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "hf_"),
            Secret.of("npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789", "npm_"),
            Secret.of("crt_3f9a1c0e5b7d2468ace0135792468bdf3f9a1c0e5b7d2468ace0135792468bdf", "crt_"),
            Secret.of("AKIAIOSFODNN7EXAMPLE", "AKIA"),
            Secret.of("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-"),
            Secret.of("xoxe-1-AbCdEfGhIjKlMnOpQrStUvWxYz012345", "xoxe-"),
            Secret.of("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "eyJ"),
            Secret.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
            Secret.assigned("DB_PASS=", "Tr0ub4dor3xyzQ"),
            Secret.assigned("MY_SERVICE_TOKEN=", "abcd1234efgh5678"),
            Secret.assigned("passphrase: ", "correct-horse-battery-staple"),
            Secret.assigned("Authorization: Bearer ", "t0k3nValue9876543210"),
            new Secret("-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA1b2c3d4e5f6g7h8\\n-----END RSA PRIVATE KEY-----",
                    "MIIEpAIBAAKCAQEA1b2c3d4e5f6g7h8"),
            new Secret("-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\\n-----END OPENSSH PRIVATE KEY-----",
                    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU"));

    /** What stands right before the secret. */
    static final List<String> CONTEXTS = List.of("\\n", "\\t", "\\\"", "\\\\", "\u001b[32m", "\\u001b[32m", " ");

    private record Kept(List<String> pieces) {
    }

    private static Kept record(byte[] first, byte[] second) {
        ByteArrayOutputStream live = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        OutputRecorder recorder = new OutputRecorder("s", Clock.systemUTC(), lines::add, (offset, bytes) -> live.writeBytes(bytes), 0, 0, 0);
        recorder.onOutput(first, first.length);
        recorder.onOutput(second, second.length);
        OutputBatch before = recorder.drain();
        recorder.close();
        OutputBatch after = recorder.drain();
        List<String> pieces = new ArrayList<>(lines);
        pieces.add(live.toString(StandardCharsets.ISO_8859_1));
        for (OutputBatch b : List.of(before, after)) {
            b.chunks().forEach(c -> pieces.add(new String(c.data(), StandardCharsets.ISO_8859_1)));
            b.lines().forEach(l -> pieces.add(l.text()));
        }
        return new Kept(pieces);
    }

    @Test
    void noPieceOfAnySecretIsKeptWhereverItStandsAndWhereverTheReadsSplitIt() {
        int checked = 0;
        for (Secret secret : SECRETS) {
            for (String context : CONTEXTS) {
                String json = "{\"type\":\"assistant\",\"text\":\"see " + context + secret.printed() + " now\"}\r\n";
                byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
                for (int split = 1; split < bytes.length; split++) {
                    Kept kept = record(java.util.Arrays.copyOfRange(bytes, 0, split), java.util.Arrays.copyOfRange(bytes, split, bytes.length));
                    for (int i = 0; i + 8 <= secret.body().length(); i++) {
                        String piece = secret.body().substring(i, i + 8);
                        for (String k : kept.pieces()) {
                            if (k.contains(piece)) {
                                fail("'" + piece + "' of " + secret.printed() + " after " + context.replace("\u001b", "ESC") + " split at " + split
                                        + " was kept: " + k.replace("\u001b", "ESC"));
                            }
                        }
                    }
                    checked++;
                }
            }
        }
        assertEquals(true, checked > 10_000, "cases checked: " + checked);
    }

    @Test
    void aKeyPrintedOnItsOwnLineAfterAColourCodeIsNotKeptInTheRawReplay() {
        byte[] bytes = "\u001b[1;32msk-ant-api03-Xk9LmN3pRtYv5BfGq2WcA7hJ3XdYl0MnO\u001b[0m\r\n".getBytes(StandardCharsets.UTF_8);
        Kept kept = record(java.util.Arrays.copyOfRange(bytes, 0, 12), java.util.Arrays.copyOfRange(bytes, 12, bytes.length));
        kept.pieces().forEach(k -> {
            if (k.contains("Xk9LmN3p")) {
                fail("kept: " + k);
            }
        });
    }

    @Test
    void aPromptWithoutNewlineIsShownOnceTheOutputPauses() throws Exception {
        List<String> live = new ArrayList<>();
        OutputRecorder recorder = new OutputRecorder("s", Clock.systemUTC(), l -> { }, (offset, bytes) ->
                live.add(new String(bytes, StandardCharsets.UTF_8)), 0, 0, 0);
        byte[] prompt = "Proceed? (y/n) ".getBytes(StandardCharsets.UTF_8);
        recorder.onOutput(prompt, prompt.length);
        recorder.drain();
        assertEquals(List.of(), live, "held while the line may go on");

        Thread.sleep(OutputRecorder.QUIET_MILLIS + 50);
        recorder.drain();
        assertEquals("Proceed? (y/n) ", String.join("", live));
    }
}
