package dev.controlroom.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class RedactorTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "key sk-ant-api03-Xk9LmN3pRtYv5BfGq2WcA7hJ3XdYl0MnO4qSuZw6C-abc_DEF | key sk-ant-…[redacted]",
            "using sk-proj-4fGq2WcXk9LmN3pRtYv5BA7hJ3XdYl0Mn for now | using sk-proj-…[redacted] for now",
            "OPENAI sk-9aB8cD7eF6gH5iJ4kL3mN2oP1qR0sT | OPENAI sk-…[redacted]",
            "maps AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7 ok | maps AIza…[redacted] ok",
            "gh auth ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8 | gh auth ghp_…[redacted]",
            "oauth gho_16C7e42F292c6912E7710c838347Ae178B4a | oauth gho_…[redacted]",
            "pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQ | pat github_pat_…[redacted]",
            "aws AKIAIOSFODNN7EXAMPLE in use | aws AKIA…[redacted] in use",
            "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx | slack xoxb-…[redacted]",
            "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig123' | curl -H 'Authorization: Bearer …[redacted]'",
            "Authorization: Basic dXNlcjpwYXNzd29yZA== | Authorization: Basic …[redacted]",
            "export FOO_API_KEY=abc123def456 | export FOO_API_KEY=[redacted]",
            "DB_PASSWORD='correct horse battery' ./run | DB_PASSWORD='[redacted]' ./run",
            "client_secret: 9f8e7d6c5b4a | client_secret: [redacted]",
            "APIKEY=9f8e7d6c5b4a and db.password = hunter2 | APIKEY=[redacted] and db.password = [redacted]",
            "{\"api_key\": \"k-12345\", \"user\": \"ann\"} | {\"api_key\": \"[redacted]\", \"user\": \"ann\"}",
            "{\"content\":\"GITHUB_TOKEN=abc123\\nDEBUG=1\"} | {\"content\":\"GITHUB_TOKEN=[redacted]\\nDEBUG=1\"}",
            "const accessToken = \"tok_live_123\"; | const accessToken = \"[redacted]\";",
            "mysql --password hunter2 -u root | mysql --password [redacted] -u root",
            "postgres://app:s3cr3t@db:5432/orders | postgres://app:[redacted]@db:5432/orders"})
    void secretsAreReplacedKeepingWhatKindTheyWere(String line, String redacted) {
        assertEquals(redacted, Redactor.redact(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-11-03 10:15:02.114 INFO  [worker-3] d.e.Metrics - flushed batch id=48213 in 12ms",
            "{\"type\":\"result\",\"usage\":{\"input_tokens\":12,\"cache_read_input_tokens\":15702,\"output_tokens\":187}}",
            "{\"apiKeySource\":\"ANTHROPIC_API_KEY\",\"max_tokens\":null,\"secret\":false}",
            "export ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}",
            "The bearer token is rotated daily; see docs/auth.md",
            "task-runner-configuration-for-the-orders-service",
            "scikit-learn==1.5.2 and risk-assessment-v2",
            "password: <your password here>",
            "primary key (id) references orders",
            "Setting up libkeyutils1:amd64 (1.6.3-2) ...",
            "Highlight the new match statement's soft keywords: match, case, and _",
            "tokenizer: bert-base-uncased",
            "short"})
    void ordinaryTextIsUntouched(String line) {
        assertEquals(line, Redactor.redact(line));
    }

    @Test
    void lineWithoutAnythingSecretLikeIsReturnedAsItIs() {
        String line = "[INFO] Compiling 12 source files to /work/wt/task-2/target/classes";

        assertSame(line, Redactor.redact(line));
    }

    @Test
    void redactedJsonStaysJson() throws Exception {
        String line = "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"name\":\"Write\",\"input\":"
                + "{\"file_path\":\"/w/.env\",\"content\":\"API_KEY=sk-ant-api03-Xk9LmN3pRtYv5BfGq2WcA7h\\nSECRET=\\\"x1y2\\\"\\n\"}}]}}";

        String redacted = Redactor.redact(line);

        new com.fasterxml.jackson.databind.ObjectMapper().readTree(redacted);
        assertEquals(line.replace("sk-ant-api03-Xk9LmN3pRtYv5BfGq2WcA7h", "sk-ant-…[redacted]").replace("x1y2", "[redacted]"), redacted);
    }
}
