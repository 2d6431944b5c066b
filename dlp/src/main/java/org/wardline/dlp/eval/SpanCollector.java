package org.wardline.dlp.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Gathers one note's labelled spans with the line each came from, and refuses spans that run past the text
 * or overlap another, naming the line.
 */
final class SpanCollector {

  private record Labelled(GoldSpan span, Path file, int line) {}

  private final List<Labelled> spans = new ArrayList<>();

  void add(GoldSpan span, Path file, int line) {
    spans.add(new Labelled(span, file, line));
  }

  List<GoldSpan> checkedAgainst(String text) throws CorpusFormatException {
    List<Labelled> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingInt((Labelled l) -> l.span().start()).thenComparingInt(l -> l.span().end()));
    List<GoldSpan> out = new ArrayList<>(sorted.size());
    Labelled previous = null;
    for (Labelled l : sorted) {
      if (l.span().end() > text.length()) {
        throw new CorpusFormatException(l.file(), l.line(), "span " + l.span().start() + "-" + l.span().end()
            + " ends beyond the note's text (" + text.length() + " chars)");
      }
      if (previous != null && l.span().start() < previous.span().end()) {
        throw new CorpusFormatException(l.file(), l.line(), "span " + l.span().start() + "-" + l.span().end()
            + " overlaps the span of line " + previous.line());
      }
      out.add(l.span());
      previous = l;
    }
    return out;
  }
}
