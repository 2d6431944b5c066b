package org.wardline.server.upload;

import io.vertx.core.Future;
import org.wardline.storage.blob.BlobId;

import java.util.UUID;

/**
 * Who besides a file's owner may download it: a device reached through a grant (a file shared into a
 * conversation the device is a current member of). Asked on every download; nothing is cached, so a revoked
 * grant takes effect on the next request.
 */
@FunctionalInterface
public interface FileReadGrants {
    Future<Boolean> mayRead(BlobId file, UUID device);
}
