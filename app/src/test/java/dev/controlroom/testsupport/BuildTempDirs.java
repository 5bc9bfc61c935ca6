package dev.controlroom.testsupport;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code @TempDir(factory = BuildTempDirs.class)}: temp folders under the build's
 * {@code controlroom.test.tmp} (target/test-tmp) instead of {@code /tmp}, where Codex refuses to
 * create its helper binaries.
 */
public final class BuildTempDirs implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext elementContext, ExtensionContext extensionContext)
            throws Exception {
        Path base = Path.of(System.getProperty("controlroom.test.tmp", "target/test-tmp")).toAbsolutePath();
        return Files.createTempDirectory(Files.createDirectories(base), "junit");
    }
}
