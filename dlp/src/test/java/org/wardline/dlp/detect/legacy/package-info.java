/**
 * A frozen copy of {@code org.wardline.dlp.detect} as it was before the speed work of issue #10 (main at
 * 03a9f2e), kept only so {@code ScannerDifferentialTest} can check that the faster detectors report exactly
 * the same findings. Do not change it to follow the main code: it is the reference.
 */
package org.wardline.dlp.detect.legacy;
