/**
 * Lifecycle of stored files: the {@code stored_objects} catalog ({@link org.wardline.storage.object.ObjectCatalog})
 * and the blocking orchestration the upload pipeline uses ({@link org.wardline.storage.object.ObjectLifecycle}):
 * PENDING → COMMITTED / QUARANTINED / DELETED. Only COMMITTED objects are served.
 */
package org.wardline.storage.object;
