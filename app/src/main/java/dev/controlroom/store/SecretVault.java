package dev.controlroom.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.controlroom.domain.PrivateFiles;
import dev.controlroom.domain.Redactor;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the secrets of task definitions live instead of the database: every environment value of
 * a task and every secret found in a command, prompt, setup or verify line is kept in a file beside
 * the database, readable by its owner only, and the database holds a reference
 * ({@code ${secret:1f2e3d4c5b6a7988}}) in its place. The engine hands processes the real values
 * ({@link #unseal}); lists, exports and logs show references or {@code [secret]}. The same value
 * always gets the same reference, so sealing is repeatable.
 */
public final class SecretVault {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{secret:([0-9a-f]{16})}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path file;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> idOf = new HashMap<>();
    /** Inside {@link #batch}: new values are written to the file once, at its end. */
    private int batching;
    private boolean unsaved;

    private SecretVault(Path file) {
        this.file = file;
    }

    /** The vault of a database: the file {@code <database>.secrets}, read if it exists. */
    public static SecretVault beside(Path database) {
        SecretVault vault = new SecretVault(Path.of(database.toAbsolutePath() + ".secrets"));
        if (Files.exists(vault.file)) {
            try {
                Map<String, String> stored = JSON.readValue(vault.file.toFile(), new TypeReference<LinkedHashMap<String, String>>() { });
                stored.forEach((id, value) -> {
                    vault.values.put(id, value);
                    vault.idOf.put(value, id);
                });
                PrivateFiles.restrict(vault.file);
            } catch (IOException e) {
                throw new StoreException("cannot read the secrets file " + vault.file + ": " + e.getMessage(), e);
            }
        }
        return vault;
    }

    public Path file() {
        return file;
    }

    /** The reference standing for {@code value}, which is kept in the vault. */
    public synchronized String seal(String value) {
        String id = idOf.get(value);
        if (id == null) {
            byte[] bytes = new byte[8];
            do {
                RANDOM.nextBytes(bytes);
                id = HexFormat.of().formatHex(bytes);
            } while (values.containsKey(id));
            values.put(id, value);
            idOf.put(value, id);
            if (batching > 0) {
                unsaved = true;
            } else {
                save();
            }
        }
        return "${secret:" + id + "}";
    }

    /**
     * Runs {@code work} (which seals many values: a plan's import) writing the file once at its end,
     * before the caller stores the references: a reference is never stored without its value.
     */
    public <T> T batch(java.util.function.Supplier<T> work) {
        synchronized (this) {
            batching++;
        }
        try {
            return work.get();
        } finally {
            synchronized (this) {
                batching--;
                if (batching == 0 && unsaved) {
                    unsaved = false;
                    save();
                }
            }
        }
    }

    /** Every value sealed (empty values and references stay as they are). */
    public Map<String, String> sealValues(Map<String, String> env) {
        Map<String, String> sealed = new LinkedHashMap<>();
        env.forEach((name, value) -> sealed.put(name, value.isEmpty() || REFERENCE.matcher(value).matches() ? value : seal(value)));
        return sealed;
    }

    /** The text with each secret in it (as the redactor finds them) sealed. */
    public String sealSecretsIn(String text) {
        List<Redactor.Span> spans = Redactor.find(text);
        if (spans.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (Redactor.Span span : spans) {
            String secret = text.substring(span.start(), span.end());
            out.append(text, at, span.start()).append(REFERENCE.matcher(secret).matches() ? secret : seal(secret));
            at = span.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** A plan file's text with its tasks' environment values and every secret in it sealed. */
    public String sealSource(String text, java.util.Collection<String> envValues) {
        String out = text;
        for (String value : envValues.stream().filter(v -> v.length() >= 4 && !REFERENCE.matcher(v).matches())
                .sorted((a, b) -> b.length() - a.length()).toList()) {
            out = out.replace(value, seal(value));
        }
        return sealSecretsIn(out);
    }

    /**
     * The text with every reference replaced by its value, for a process about to start.
     *
     * @throws IllegalStateException naming the vault file when a reference has no value there
     */
    public synchronized String unseal(String text) {
        if (text.indexOf("${secret:") < 0) {
            return text;
        }
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("the secret " + m.group() + " is not in " + file
                        + " (was the database copied without it?): set the value again in the task");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** The text as a person may see it anywhere: references read {@code [secret]}. */
    public static String shown(String text) {
        return REFERENCE.matcher(text).replaceAll("[secret]");
    }

    private void save() {
        try {
            PrivateFiles.createFolders(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            PrivateFiles.createFile(temp);
            Files.writeString(temp, JSON.writeValueAsString(values));
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StoreException("cannot write the secrets file " + file + ": " + e.getMessage(), e);
        }
    }
}
