package org.wardline.clients.cli;

import io.nayuki.qrcodegen.QrCode;

/**
 * A QR code drawn with Unicode half blocks, two modules per character cell, light modules as blocks so that it
 * reads on dark and light terminals alike, with the four-module quiet zone the standard asks for.
 */
final class TerminalQr {
    private static final int QUIET = 4;

    private TerminalQr() {
    }

    static String draw(String text) {
        QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
        int size = qr.size;
        StringBuilder sb = new StringBuilder();
        for (int y = -QUIET; y < size + QUIET; y += 2) {
            for (int x = -QUIET; x < size + QUIET; x++) {
                boolean topLight = !dark(qr, x, y);
                boolean bottomLight = !dark(qr, x, y + 1);
                sb.append(topLight ? (bottomLight ? '█' : '▀') : (bottomLight ? '▄' : ' '));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static boolean dark(QrCode qr, int x, int y) {
        return x >= 0 && y >= 0 && x < qr.size && y < qr.size && qr.getModule(x, y);
    }
}
