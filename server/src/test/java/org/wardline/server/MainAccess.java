package org.wardline.server;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** Runs the server's command line in-process for tests in other packages. */
public final class MainAccess {
    private MainAccess() {
    }

    public static int run(ByteArrayOutputStream out, String... args) {
        PrintStream print = new PrintStream(out, true);
        return Main.run(print, print, args);
    }
}
