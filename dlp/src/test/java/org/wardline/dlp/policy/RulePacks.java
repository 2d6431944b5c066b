package org.wardline.dlp.policy;

import java.nio.file.Path;

/** The repository's config/dlp directory (surefire passes the repository root). */
final class RulePacks {

  private RulePacks() {}

  static Path configDir() {
    String root = System.getProperty("wardline.repo.root");
    Path base = root != null ? Path.of(root) : Path.of("..");
    return base.resolve("config").resolve("dlp");
  }
}
