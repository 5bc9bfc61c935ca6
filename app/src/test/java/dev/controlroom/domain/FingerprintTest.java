package dev.controlroom.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FingerprintTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "src/main/java/a/Order.java:14: error: cannot find symbol | src/main/java/b/Invoice.java:203: error: cannot find symbol",
            "main.c:5:12: error: use of undeclared identifier 'countr' | /home/dev/x/util.c:88:3: error: use of undeclared identifier 'totl'",
            "src/app.ts(3,7): error TS2304: Cannot find name 'ordr'. | lib/b.tsx(40,12): error TS2304: Cannot find name 'x'.",
            "API retry 1/10 after HTTP 500 (api_error) | API retry 7/10 after HTTP 500 (api_error)",
            "2026-11-03 10:15:02,114 ERROR timeout after 3000 ms | 2026-11-04T08:00:59.9Z ERROR timeout after 15000 ms",
            "session 3f6c2a1e-8b7d-4c1a-9e2f-5a6b7c8d9e0f not found | session 0b7e1c52-4d8a-4f7e-8c55-1d2e3f4a5b6c not found",
            "object 0x7ffd5e8c at deadbeef01 freed twice | object 0x1a2b at 0c0ffee99 freed twice",
            "request req_011CUx9zQ3vWm2Lk8Hs5TfPd failed | request req_011CVa1bC2dE3fG4hI5jK6lM failed",
            "Reconnecting... 1/5 (connection refused) | Reconnecting... 4/5 (connection refused)",
            "KeyError: 'customer' | KeyError: 'order_id'"})
    void sameErrorElsewhereHasTheSameFingerprint(String one, String other) {
        assertEquals(Fingerprint.of(one).substring(0, 8), Fingerprint.of(other).substring(0, 8), Fingerprint.of(one));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Order.java:14: error: cannot find symbol | Order.java:14: error: incompatible types",
            "API Error: 500 Internal server error | API Error: 529 Overloaded",
            "error[E0425]: cannot find value `x` | error[E0308]: mismatched types",
            "error TS2304: Cannot find name 'x'. | error TS2322: Cannot find name 'x'.",
            "exit code 1 | exit code 137"})
    void differentErrorsHaveDifferentFingerprints(String one, String other) {
        assertNotEquals(Fingerprint.of(one).substring(0, 8), Fingerprint.of(other).substring(0, 8));
    }

    @Test
    void fingerprintIsAShortHashAndTheNormalisedText() {
        String fingerprint = Fingerprint.of("src/Order.java:14:5: error: cannot find symbol 'customr' at 10:15:02");

        assertTrue(fingerprint.matches("[0-9a-f]{8} .+"), fingerprint);
        assertEquals("<path>: error: cannot find symbol <str> at <ts>", fingerprint.substring(9));
    }

    @Test
    void fingerprintIsStableAcrossRuns() {
        assertEquals(Fingerprint.of("boom"), Fingerprint.of("  boom \n"));
        assertEquals("81f52337 boom", Fingerprint.of("boom"), "the hash is SHA-256: stored fingerprints stay valid");
    }

    @Test
    void longMessagesAreShortenedButHashedWhole() {
        String a = Fingerprint.of("x".repeat(300) + " a");
        String b = Fingerprint.of("x".repeat(300) + " b");

        assertNotEquals(a, b);
        assertTrue(a.length() < 220, a);
    }
}
