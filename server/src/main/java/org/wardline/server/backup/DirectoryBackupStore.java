package org.wardline.server.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Backup parts as files under one directory, written owner-only. */
final class DirectoryBackupStore implements BackupStore {
    private final Path dir;

    DirectoryBackupStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public OutputStream create(String name) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            return Files.newOutputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the backup part " + name + " under " + dir, e);
        }
    }

    @Override
    public InputStream open(String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new BackupException(name + ": missing from the backup");
        }
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the backup part " + name, e);
        }
    }

    @Override
    public boolean exists(String name) {
        return Files.isRegularFile(dir.resolve(name));
    }

    @Override
    public String describe() {
        return dir.toString();
    }
}
