/**
 * Wardline's storage layer: PostgreSQL ({@link org.wardline.storage.db}), S3 blob storage with envelope
 * encryption ({@link org.wardline.storage.blob}), key-encryption keys and rotation
 * ({@link org.wardline.storage.crypto}), and the lifecycle of stored files ({@link org.wardline.storage.object}).
 *
 * <p>Threading: {@code Database.ping()}, {@code DataKeyStore} and {@code ObjectCatalog} are non-blocking
 * (Vert.x {@code Future}s). Everything touching S3, the key provider or Flyway blocks: run it on worker or
 * virtual threads. {@link org.wardline.storage.Blocking#await} refuses event loops.
 *
 * <p>Errors share one root, {@link org.wardline.storage.StorageException}; messages carry random object ids and
 * key ids only, never file names, content or secrets.
 */
package org.wardline.storage;
