package dev.controlroom.domain;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Folders and files that hold what agents printed, prompts and plans: readable by their owner only
 * (0700 folders, 0600 files) where the file system has POSIX permissions. On Windows the user's
 * profile folders are private already. Only what Control Room creates is changed, never a folder
 * a person chose to put a database in.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates the folder and any missing parent, each new one private; returns the folder. */
    public static Path createFolders(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path p = missing.pop();
            try {
                if (posix(p.getParent())) {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(FOLDER));
                } else {
                    Files.createDirectory(p);
                }
            } catch (FileAlreadyExistsException raced) {
                // another thread or process made it meanwhile: fine
            }
        }
        return folder;
    }

    /** Makes an existing file or folder private (a database written by an earlier version, its WAL). */
    public static void restrict(Path path) throws IOException {
        if (Files.exists(path) && posix(path)) {
            Files.setPosixFilePermissions(path, Files.isDirectory(path) ? FOLDER : FILE);
        }
    }

    /** Creates an empty private file unless it exists. */
    public static void createFile(Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            if (posix(file.toAbsolutePath().getParent())) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException raced) {
            // made meanwhile: fine
        }
    }

    private static boolean posix(Path path) {
        return path != null && Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }
}
