package org.wardline.dlp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.wardline.dlp.extract.ContentExtractor;
import org.wardline.dlp.extract.ExtractionLimits;
import org.wardline.dlp.extract.ExtractionResult;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Archives and PDFs from outside, fuzzed (Jazzer): extraction never throws on bad content, reads every byte, and
 * stays within its limits. Regression inputs (a zip and a PDF seed among them) are under
 * {@code src/test/resources/org/wardline/dlp/fuzz/ExtractorsFuzzTestInputs/<method>}.
 */
class ExtractorsFuzzTest {
    private static final ContentExtractor EXTRACTOR = new ContentExtractor(ExtractionLimits.defaults()
            .withMaxUnpackedBytes(64L << 20).withMaxTextChars(1 << 20));

    @FuzzTest(maxDuration = "10m")
    void archivesAndPdfs(byte[] data) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        ExtractionResult r = EXTRACTOR.extract(in, Optional.empty());
        assertThat(in.available()).as("read to the end").isZero();
        assertThat(r.text().length()).isLessThanOrEqualTo(1 << 20);
        assertThat(r.unpackedBytes()).isLessThanOrEqualTo((64L << 20) + (1 << 16));
    }
}
