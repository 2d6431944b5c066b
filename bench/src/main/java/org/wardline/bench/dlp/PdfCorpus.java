package org.wardline.bench.dlp;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Text PDFs made with PDFBox (the same library Tika reads them with): Helvetica 9 pt, 70 lines of text a page. */
final class PdfCorpus {
    private static final int LINES_PER_PAGE = 70;
    private static final int CHARS_PER_LINE = 110;

    private PdfCorpus() {
    }

    /** A PDF holding {@code text} (characters outside WinAnsi replaced by '?'), wrapped at a fixed width. */
    static byte[] pdf(String text) throws IOException {
        String printable = text.replaceAll("[^\\x20-\\x7E\\n]", "?");
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            int pos = 0;
            while (pos < printable.length()) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.beginText();
                    content.setFont(font, 9);
                    content.setLeading(11);
                    content.newLineAtOffset(30, 800);
                    for (int line = 0; line < LINES_PER_PAGE && pos < printable.length(); line++) {
                        int end = Math.min(printable.length(), pos + CHARS_PER_LINE);
                        int newline = printable.indexOf('\n', pos);
                        if (newline >= 0 && newline < end) {
                            end = newline;
                        }
                        content.showText(printable.substring(pos, end));
                        content.newLine();
                        pos = end < printable.length() && printable.charAt(end) == '\n' ? end + 1 : end;
                    }
                    content.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        }
    }
}
