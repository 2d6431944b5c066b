/**
 * The tamper-evident audit trail: an append-only, hash-chained {@code audit_entries} table with signed
 * checkpoints, a verifier and an exporter (migration {@code V30__audit_chain.sql}).
 *
 * <h2>Wiring it into the server</h2>
 * <pre>{@code
 * AuditSigner signer = AuditSigner.loadPkcs12(Path.of(cfg.auditKeystore()), cfg.auditKeystorePassphrase());
 * AuditLog audit = new AuditLog(pool, signer, new AuditLogConfig(1000, Duration.ofMinutes(5)));
 * vertx.setPeriodic(Duration.ofMinutes(5).toMillis(), id -> audit.checkpoint());   // sign a quiet tail
 *
 * audit.record(AuditEvent.builder(AuditAction.FILE_DOWNLOADED, AuditOutcome.SUCCESS)
 *         .actor(userId, deviceId).sourceIp(remoteAddress).object("file", fileId)
 *         .requestId(requestId).flag(AuditFlag.PHI_ACCESS)
 *         .details(AuditDetails.builder().put("bytes", size).build())
 *         .build());                                   // Future<AuditReceipt>
 *
 * // wardline audit verify (blocking: run in a worker or on the CLI's own thread)
 * VerificationReport report = AuditVerifier.verify(dataSource, AuditSigner.readPublicKey(certificatePem));
 * System.out.println(report.summary());              // exit non-zero unless report.valid()
 *
 * // wardline audit export --from 2026-11-01 --to 2026-12-01 --format csv
 * AuditExporter.export(dataSource, AuditExporter.parseTime(from), AuditExporter.parseTime(to),
 *         ExportFormat.parse(format), System.out);
 * }</pre>
 *
 * <h2>What it guarantees</h2>
 * Editing, deleting or inserting an entry breaks the chain at that entry. Re-computing the whole chain
 * after an edit (possible for anyone with database access, since hashes are not keyed) is caught by
 * the checkpoints, which only the audit key can sign. Checkpoints are themselves chained, so deleting
 * one is caught; truncating entries that a checkpoint or the chain head vouches for is caught. See
 * {@link org.wardline.storage.audit.AuditCanonical} for the exact encodings and
 * {@link org.wardline.storage.audit.AuditVerifier} for the limits.
 */
package org.wardline.storage.audit;
