package org.wardline.dlp.extract;

import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/** Collects extracted characters up to the text limit, then stops the parse. */
final class BoundedTextHandler extends DefaultHandler {

  private final StringBuilder text = new StringBuilder();
  private final ExtractionBudget budget;

  BoundedTextHandler(ExtractionBudget budget) {
    this.budget = budget;
  }

  @Override
  public void characters(char[] ch, int start, int length) throws SAXException {
    int room = budget.limits.maxTextChars() - text.length();
    if (length > room) {
      text.append(ch, start, Math.max(0, room));
      throw new SAXException(budget.exceed(LimitKind.TEXT_SIZE));
    }
    text.append(ch, start, length);
  }

  @Override
  public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
    characters(ch, start, length);
  }

  String text() {
    return text.toString();
  }
}
