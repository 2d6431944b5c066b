/**
 * PostgreSQL: Flyway migrations (this module owns versions V10–V29, one file each, under {@code db/migration})
 * and the Vert.x connection pool ({@link org.wardline.storage.db.Database}).
 */
package org.wardline.storage.db;
