package org.wardline.server.sharelink;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Renders a shared document to watermarked PNG pages for view-only links: images as one page, plain text as
 * typeset pages, PDFs page by page (PDFBox). The watermark (recipient, time, link ID) is drawn into the pixels on
 * the server, so the browser never receives an unmarked copy. Blocking: call on a worker.
 */
final class DocumentRenderer {
    static final Set<String> VIEWABLE = Set.of("image/png", "image/jpeg", "text/plain", "application/pdf");
    static final long MAX_VIEWABLE_BYTES = 25L << 20;
    private static final int MAX_PAGES = 100;
    private static final int MAX_WIDTH = 1600;
    private static final long MAX_PIXELS = 40_000_000L;
    private static final int TEXT_BYTES = 512 * 1024;
    private static final int TEXT_COLUMNS = 96;
    private static final int TEXT_LINES = 56;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    static boolean viewable(String contentType) {
        return VIEWABLE.contains(baseType(contentType));
    }

    static String baseType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }

    int pageCount(String contentType, InputStream in) throws IOException {
        return switch (baseType(contentType)) {
            case "application/pdf" -> {
                try (PDDocument pdf = Loader.loadPDF(new RandomAccessReadBuffer(in))) {
                    yield Math.min(pdf.getNumberOfPages(), MAX_PAGES);
                }
            }
            case "text/plain" -> Math.max(1, Math.min(MAX_PAGES, (textLines(in).size() + TEXT_LINES - 1) / TEXT_LINES));
            default -> 1;
        };
    }

    /** @param page zero-based */
    byte[] render(String contentType, InputStream in, int page, String watermark) throws IOException {
        BufferedImage image = switch (baseType(contentType)) {
            case "application/pdf" -> {
                try (PDDocument pdf = Loader.loadPDF(new RandomAccessReadBuffer(in))) {
                    if (page >= Math.min(pdf.getNumberOfPages(), MAX_PAGES)) {
                        throw new IndexOutOfBoundsException("page");
                    }
                    // Scale so the page is at most MAX_WIDTH pixels wide whatever its declared size (no pixel bombs).
                    float widthPoints = Math.max(1f, pdf.getPage(page).getMediaBox().getWidth());
                    float heightPoints = Math.max(1f, pdf.getPage(page).getMediaBox().getHeight());
                    float scale = Math.min(110f / 72f, MAX_WIDTH / widthPoints);
                    if (heightPoints * scale > MAX_PIXELS / (double) MAX_WIDTH) {
                        throw new IOException("page too tall to render");
                    }
                    yield new PDFRenderer(pdf).renderImage(page, scale, ImageType.RGB);
                }
            }
            case "text/plain" -> textPage(textLines(in), page);
            case "image/png", "image/jpeg" -> {
                if (page != 0) {
                    throw new IndexOutOfBoundsException("page");
                }
                yield readBounded(in);
            }
            default -> throw new IOException("not viewable");
        };
        return png(watermark(scaled(image), watermark));
    }

    /**
     * The text of one page, as a screen reader should read it beside the page image: a PDF page's text layer, a text
     * file's lines on that page, nothing for a picture (its image has no text layer; the page says so).
     * @param page zero-based
     */
    String text(String contentType, InputStream in, int page) throws IOException {
        return switch (baseType(contentType)) {
            case "application/pdf" -> {
                try (PDDocument pdf = Loader.loadPDF(new RandomAccessReadBuffer(in))) {
                    if (page < 0 || page >= Math.min(pdf.getNumberOfPages(), MAX_PAGES)) {
                        throw new IndexOutOfBoundsException("page");
                    }
                    PDFTextStripper stripper = new PDFTextStripper();
                    stripper.setStartPage(page + 1);
                    stripper.setEndPage(page + 1);
                    yield bounded(stripper.getText(pdf).strip());
                }
            }
            case "text/plain" -> {
                List<String> lines = textLines(in);
                int from = page * TEXT_LINES;
                if (page < 0 || (from >= lines.size() && page > 0) || page >= MAX_PAGES) {
                    throw new IndexOutOfBoundsException("page");
                }
                yield String.join("\n", lines.subList(Math.min(from, lines.size()), Math.min(lines.size(), from + TEXT_LINES)));
            }
            case "image/png", "image/jpeg" -> {
                if (page != 0) {
                    throw new IndexOutOfBoundsException("page");
                }
                yield "";
            }
            default -> throw new IOException("not viewable");
        };
    }

    private static String bounded(String text) {
        return text.length() <= TEXT_BYTES ? text : text.substring(0, TEXT_BYTES);
    }

    /** Decodes an image only after checking its declared size, so a small file cannot expand to gigabytes. */
    private static BufferedImage readBounded(InputStream in) throws IOException {
        try (ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = stream == null ? null : ImageIO.getImageReaders(stream);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("unreadable image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PIXELS) {
                    throw new IOException("image too large to render");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }

    private static List<String> textLines(InputStream in) throws IOException {
        String text = new String(in.readNBytes(TEXT_BYTES), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) {
            String clean = line.replace('\t', ' ');
            do {
                lines.add(clean.substring(0, Math.min(TEXT_COLUMNS, clean.length())));
                clean = clean.length() > TEXT_COLUMNS ? clean.substring(TEXT_COLUMNS) : "";
            } while (!clean.isEmpty());
        }
        return lines;
    }

    private static BufferedImage textPage(List<String> lines, int page) {
        int from = page * TEXT_LINES;
        if (page < 0 || (from >= lines.size() && page > 0) || page >= MAX_PAGES) {
            throw new IndexOutOfBoundsException("page");
        }
        BufferedImage image = new BufferedImage(1240, 1754, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 20));
        int y = 90;
        for (int i = from; i < Math.min(lines.size(), from + TEXT_LINES); i++) {
            g.drawString(lines.get(i), 70, y);
            y += 29;
        }
        g.dispose();
        return image;
    }

    private static BufferedImage scaled(BufferedImage source) {
        int width = Math.min(source.getWidth(), MAX_WIDTH);
        int height = Math.max(1, (int) ((long) source.getHeight() * width / source.getWidth()));
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    private static BufferedImage watermark(BufferedImage image, String text) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int size = Math.max(12, image.getWidth() / 50);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.22f));
        g.setColor(new Color(180, 0, 0));
        AffineTransform original = g.getTransform();
        g.rotate(-Math.PI / 6, image.getWidth() / 2.0, image.getHeight() / 2.0);
        int step = size * 6;
        for (int y = -image.getHeight(); y < image.getHeight() * 2; y += step) {
            g.drawString(text, -image.getWidth() / 2, y);
            g.drawString(text, image.getWidth() / 2, y + step / 2);
        }
        g.setTransform(original);
        g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.85f));
        int band = size + size / 2;
        g.setColor(Color.WHITE);
        g.fillRect(0, image.getHeight() - band, image.getWidth(), band);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(10, size * 3 / 4)));
        g.drawString(text, 8, image.getHeight() - size / 2);
        g.dispose();
        return image;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
