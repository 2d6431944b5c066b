package org.wardline.server.backup;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where scheduled backups go: one {@code wardline-<UTC time>} backup per run under a directory or an S3 prefix.
 * Only complete backups (with a signature) count toward retention; an incomplete one is pruned with the oldest.
 */
abstract sealed class BackupDestination permits BackupDestination.Directory, BackupDestination.S3 {
    static final String PREFIX = "wardline-";

    static BackupDestination of(Installation installation, String where) {
        if (where.startsWith("s3://")) {
            String[] bp = S3BackupStore.parse(where);
            return new S3(installation.s3(), bp[0], bp[1].isEmpty() || bp[1].endsWith("/") ? bp[1] : bp[1] + "/");
        }
        return new Directory(Path.of(where));
    }

    abstract BackupStore create(String name) throws IOException;

    /** Backup names, oldest first. */
    abstract List<String> list() throws Exception;

    abstract void delete(String name) throws Exception;

    /** Deletes the oldest backups beyond {@code retain}; returns how many went. */
    int prune(int retain) throws Exception {
        List<String> names = list();
        int pruned = 0;
        for (int i = 0; i < names.size() - retain; i++) {
            delete(names.get(i));
            pruned++;
        }
        return pruned;
    }

    static final class Directory extends BackupDestination {
        private final Path dir;

        Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        BackupStore create(String name) throws IOException {
            Path d = dir.resolve(name);
            Files.createDirectories(d);
            return new DirectoryBackupStore(d);
        }

        @Override
        List<String> list() throws IOException {
            if (!Files.isDirectory(dir)) {
                return List.of();
            }
            try (Stream<Path> s = Files.list(dir)) {
                return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(n -> n.startsWith(PREFIX))
                        .sorted().toList();
            }
        }

        @Override
        void delete(String name) throws IOException {
            try (Stream<Path> s = Files.walk(dir.resolve(name))) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }

    static final class S3 extends BackupDestination {
        private final MinioClient s3;
        private final String bucket;
        private final String prefix;

        S3(MinioClient s3, String bucket, String prefix) {
            this.s3 = s3;
            this.bucket = bucket;
            this.prefix = prefix;
        }

        @Override
        BackupStore create(String name) {
            return new S3BackupStore(s3, bucket, prefix + name);
        }

        @Override
        List<String> list() throws Exception {
            List<String> out = new ArrayList<>();
            for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix + PREFIX).build())) {
                Item item = r.get();
                if (item.isDir()) {
                    String name = item.objectName().substring(prefix.length());
                    out.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
                }
            }
            out.sort(null);
            return out;
        }

        @Override
        void delete(String name) throws Exception {
            for (Result<Item> r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix + name + "/")
                    .recursive(true).build())) {
                s3.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(r.get().objectName()).build());
            }
        }
    }
}
