package org.wardline.server.config;

import org.wardline.protocol.Secret;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates a Wardline configuration: YAML, then {@code WARDLINE_*} environment overrides, then
 * every check at once. Unsafe settings are refused here, before any port opens: TLS below 1.2, no malware
 * scanner without an explicit waiver, and connections to PostgreSQL, S3, clamd or SMTP that are neither TLS
 * nor on loopback.
 */
public final class ConfigLoader {
    static final List<String> TLS_PROTOCOLS_13 = List.of("TLSv1.3");
    static final List<String> TLS_PROTOCOLS_12 = List.of("TLSv1.3", "TLSv1.2");
    /** TLS 1.2 suites allowed: ECDHE key exchange with an AEAD cipher only. TLS 1.3 suites are all AEAD. */
    public static final List<String> TLS12_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    public static final List<String> TLS13_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");

    private ConfigLoader() {
    }

    public static WardlineConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem(file.toString(), "cannot read: " + e.getMessage())));
        }
        return load(parseYaml(text, file.toString()), env, file.toAbsolutePath().getParent());
    }

    /** Parses YAML text into a tree of maps, with SnakeYAML's safe constructor (no arbitrary types). */
    public static Map<String, Object> parseYaml(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit(1 << 20);
        try {
            Object root = new Yaml(new SafeConstructor(options)).load(text);
            if (root == null) {
                return new LinkedHashMap<>();
            }
            if (!(root instanceof Map<?, ?> map)) {
                throw new InvalidConfigException(List.of(new ConfigProblem(source, "must be a YAML mapping")));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return typed;
        } catch (YAMLException e) {
            throw new InvalidConfigException(List.of(new ConfigProblem(source, "not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""))));
        }
    }

    /** Overlays {@code overrides} onto {@code base}, recursively, returning a new tree. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> overrides) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        overrides.forEach((k, v) -> {
            if (v instanceof Map<?, ?> vm && out.get(k) instanceof Map<?, ?> bm) {
                out.put(k, merge((Map<String, Object>) bm, (Map<String, Object>) vm));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Builds the configuration, or throws {@link InvalidConfigException} listing every problem.
     *
     * @param baseDir relative paths in the file are resolved against it
     */
    public static WardlineConfig load(Map<String, Object> yaml, Map<String, String> env, Path baseDir) {
        ConfigTree t = new ConfigTree(yaml, env);

        Path dataDir = resolve(baseDir, t.string("dataDir", "wardline-data"));
        var publicListener = listener(t, "server.public", "127.0.0.1", 8443);
        var deviceListener = listener(t, "server.device", "127.0.0.1", 9443);
        var opsListener = listener(t, "server.ops", "127.0.0.1", 9090);
        URI publicUrl = uri(t, "server.publicUrl", true);

        WardlineConfig.Tls tls = tls(t, baseDir);
        var pki = new WardlineConfig.Pki(
                resolve(baseDir, t.string("pki.directory", dataDir.resolve("pki").toString())),
                t.secret("pki.passphrase", true),
                t.integer("pki.deviceCertificateDays", 30, 1, 397),
                java.time.Duration.ofSeconds(t.integer("pki.renewalGraceSeconds", 600, 0, 86_400)));

        var database = database(t);
        var s3 = s3(t);
        var keys = new WardlineConfig.Keys(
                t.string("keys.provider", "local"),
                resolve(baseDir, t.string("keys.keystore", dataDir.resolve("keys/keystore.json").toString())),
                t.secret("keys.passphrase", true));
        if (!keys.provider().equals("local")) {
            t.problem("keys.provider", "must be local (external KMS providers plug in through KeyProvider)");
        }

        var malware = malware(t, baseDir);
        var uploads = new WardlineConfig.Uploads(t.longValue("uploads.maxBytes", 2L << 30, 1, 64L << 30),
                java.time.Duration.ofMinutes(t.integer("uploads.abandonedAfterMinutes", 360, 10, 10_080)));
        var mail = mail(t);
        var auth = auth(t);
        var cluster = ClusterSettings.read(t, baseDir, tls, publicListener, deviceListener, opsListener);
        var alerts = alerts(t, baseDir);
        var retention = new WardlineConfig.Retention(
                java.time.Duration.ofMinutes(t.integer("retention.intervalMinutes", 60, 1, 10_080)),
                t.integer("retention.batchSize", 200, 1, 10_000));
        var backup = backup(t, baseDir);
        var delivery = new WardlineConfig.Delivery(
                t.integer("delivery.framesPerSecond", 500, 1, 1_000_000),
                t.integer("delivery.burst", 1_000, 1, 1_000_000),
                t.integer("delivery.maxInFlight", 64, 1, 4_096),
                t.integer("delivery.listenerInstances", 0, 0, 256));

        var branding = branding(t, baseDir);

        checkDistinctPorts(t, publicListener, deviceListener, opsListener);

        List<ConfigProblem> problems = t.problems();
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new WardlineConfig(dataDir, publicListener, deviceListener, opsListener, publicUrl, tls, pki,
                database, s3, keys, malware, uploads, mail, auth, cluster, alerts, retention, backup, delivery, branding);
    }

    private static WardlineConfig.Branding branding(ConfigTree t, Path baseDir) {
        String organisation = t.string("branding.organisation").orElse(null);
        String contact = t.string("branding.contact").orElse(null);
        for (var e : java.util.Map.of("branding.organisation", java.util.Optional.ofNullable(organisation),
                "branding.contact", java.util.Optional.ofNullable(contact)).entrySet()) {
            if (e.getValue().map(v -> v.length() > WardlineConfig.Branding.MAX_TEXT).orElse(false)) {
                t.problem(e.getKey(), "at most " + WardlineConfig.Branding.MAX_TEXT + " characters");
            }
        }
        Path logo = t.string("branding.logo").map(p -> resolve(baseDir, p)).orElse(null);
        if (logo != null) {
            // "/" or "" has no file name: a directory, refused below as no such file
            String name = logo.getFileName() == null ? "" : logo.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            try {
                if (!java.nio.file.Files.isRegularFile(logo)) {
                    t.problem("branding.logo", "no such file: " + logo);
                } else if (java.nio.file.Files.size(logo) > WardlineConfig.Branding.MAX_LOGO_BYTES) {
                    t.problem("branding.logo", "larger than " + WardlineConfig.Branding.MAX_LOGO_BYTES / 1024 + " KiB");
                } else if (!name.endsWith(".png") && !name.endsWith(".jpg") && !name.endsWith(".jpeg")) {
                    t.problem("branding.logo", "must be a .png or .jpg file");
                }
            } catch (java.io.IOException e) {
                t.problem("branding.logo", "cannot be read: " + logo);
            }
        }
        return new WardlineConfig.Branding(organisation, logo, contact);
    }

    private static WardlineConfig.Backup backup(ConfigTree t, Path baseDir) {
        Path recipient = t.string("backup.recipientKey").map(p -> resolve(baseDir, p)).orElse(null);
        if (recipient != null && !java.nio.file.Files.isRegularFile(recipient)) {
            t.problem("backup.recipientKey", "no such file: " + recipient + " (make it with wardline admin backup-key generate)");
        }
        java.time.Duration every = null;
        java.time.LocalTime dailyAt = null;
        String schedule = t.string("backup.schedule").orElse(null);
        if (schedule != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("every (\\d+)([mhd])|daily (\\d{2}:\\d{2})")
                    .matcher(schedule.strip());
            if (!m.matches()) {
                t.problem("backup.schedule", "use 'every N' with m, h or d (every 6h) or 'daily HH:MM' (daily 02:30)");
            } else if (m.group(3) != null) {
                try {
                    dailyAt = java.time.LocalTime.parse(m.group(3));
                } catch (java.time.format.DateTimeParseException e) {
                    t.problem("backup.schedule", "not a time of day: " + m.group(3));
                }
            } else {
                long n = Long.parseLong(m.group(1));
                every = switch (m.group(2)) {
                    case "m" -> java.time.Duration.ofMinutes(n);
                    case "h" -> java.time.Duration.ofHours(n);
                    default -> java.time.Duration.ofDays(n);
                };
                if (every.compareTo(java.time.Duration.ofMinutes(1)) < 0) {
                    t.problem("backup.schedule", "must be at least one minute apart");
                }
            }
        }
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        try {
            zone = java.time.ZoneId.of(t.string("backup.zone", "UTC"));
        } catch (java.time.DateTimeException e) {
            t.problem("backup.zone", "not a time zone (use a name such as Europe/Paris or UTC)");
        }
        String destination = t.string("backup.destination").orElse(null);
        int retain = t.integer("backup.retain", 7, 1, 1000);
        if (schedule != null) {
            if (recipient == null) {
                t.problem("backup.schedule", "scheduled backups need backup.recipientKey (they run without a passphrase)");
            }
            if (destination == null) {
                t.problem("backup.schedule", "scheduled backups need backup.destination (a directory or s3://bucket/prefix)");
            }
        }
        return new WardlineConfig.Backup(recipient, every, dailyAt, zone, destination, retain);
    }

    private static WardlineConfig.Listener listener(ConfigTree t, String path, String host, int port) {
        return new WardlineConfig.Listener(t.string(path + ".host", host), t.integer(path + ".port", port, 0, 65535));
    }

    private static void checkDistinctPorts(ConfigTree t, WardlineConfig.Listener... listeners) {
        Set<Integer> seen = new java.util.HashSet<>();
        String[] names = {"server.public.port", "server.device.port", "server.ops.port"};
        for (int i = 0; i < listeners.length; i++) {
            int port = listeners[i].port();
            if (port != 0 && !seen.add(port)) {
                t.problem(names[i], "port " + port + " is already used by another listener");
            }
        }
    }

    private static WardlineConfig.Tls tls(ConfigTree t, Path baseDir) {
        if (!t.bool("tls.enabled", true)) {
            t.problem("tls.enabled", "TLS cannot be turned off: every listener carries PHI or credentials");
        }
        String min = t.string("tls.minVersion", "TLSv1.2");
        List<String> protocols;
        List<String> suites = new ArrayList<>(TLS13_SUITES);
        switch (min) {
            case "TLSv1.3" -> protocols = TLS_PROTOCOLS_13;
            case "TLSv1.2" -> {
                protocols = TLS_PROTOCOLS_12;
                suites.addAll(TLS12_SUITES);
            }
            default -> {
                t.problem("tls.minVersion", "must be TLSv1.2 or TLSv1.3 (was " + min + "); older versions are refused");
                protocols = TLS_PROTOCOLS_12;
            }
        }
        String cert = t.required("tls.certificate");
        String key = t.required("tls.privateKey");
        return new WardlineConfig.Tls(cert == null ? null : resolve(baseDir, cert), key == null ? null : resolve(baseDir, key),
                min, t.enumValue("tls.engine", WardlineConfig.TlsEngine.class, WardlineConfig.TlsEngine.AUTO),
                protocols, List.copyOf(suites));
    }

    private static WardlineConfig.Database database(ConfigTree t) {
        String host = t.required("database.host");
        var ssl = t.enumValue("database.sslMode", WardlineConfig.SslMode.class, WardlineConfig.SslMode.VERIFY_FULL);
        if (host != null && ssl == WardlineConfig.SslMode.DISABLE && !isLoopback(host)) {
            t.problem("database.sslMode", "disable is only allowed for a PostgreSQL on loopback; use verify-full");
        }
        return new WardlineConfig.Database(host, t.integer("database.port", 5432, 1, 65535),
                t.string("database.name", "wardline"), t.string("database.user", "wardline"),
                t.secret("database.password", false), ssl, t.integer("database.poolSize", 16, 1, 512));
    }

    private static WardlineConfig.S3 s3(ConfigTree t) {
        URI endpoint = uri(t, "storage.s3.endpoint", true);
        if (endpoint != null && "http".equals(endpoint.getScheme()) && !isLoopback(endpoint.getHost())) {
            t.problem("storage.s3.endpoint", "plain http is only allowed on loopback; use https");
        }
        String bucket = t.string("storage.s3.bucket", "wardline-objects");
        String quarantine = t.string("storage.s3.quarantineBucket", "wardline-quarantine");
        for (String[] b : new String[][] {{"storage.s3.bucket", bucket}, {"storage.s3.quarantineBucket", quarantine}}) {
            if (!b[1].matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                t.problem(b[0], "not a valid S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)");
            }
        }
        if (bucket.equals(quarantine)) {
            t.problem("storage.s3.quarantineBucket", "must differ from storage.s3.bucket");
        }
        return new WardlineConfig.S3(endpoint, t.string("storage.s3.region", "us-east-1"),
                t.required("storage.s3.accessKey"), t.secret("storage.s3.secretKey", true), bucket, quarantine,
                java.time.Duration.ofMillis(t.integer("storage.s3.timeoutMillis", 30_000, 100, 600_000)));
    }

    private static WardlineConfig.Malware malware(ConfigTree t, Path baseDir) {
        boolean explicitlyWaived = t.isSet("dlp.malware.required") && !t.bool("dlp.malware.required", true);
        String host = t.string("dlp.malware.host").orElse(null);
        int port = t.integer("dlp.malware.port", 3310, 1, 65535);
        int timeout = t.integer("dlp.malware.timeoutMillis", 60_000, 100, 600_000);
        if (!explicitlyWaived && host == null) {
            t.problem("dlp.malware.host", "required: uploads must be scanned by clamd "
                    + "(set dlp.malware.required: false to run without a scanner, and uploads will be refused)");
        }
        if (host != null && !isLoopback(host)) {
            t.problem("dlp.malware.host", "clamd speaks no TLS: run it on this host, or reach it through a TLS tunnel "
                    + "that ends on loopback");
        }
        Path rulePacks = resolve(baseDir, t.string("dlp.rulePacks", "/etc/wardline/dlp"));
        if (!java.nio.file.Files.isRegularFile(rulePacks.resolve("default.yaml"))) {
            t.problem("dlp.rulePacks", "no default.yaml in " + rulePacks + " (copy config/dlp from the distribution)");
        }
        return new WardlineConfig.Malware(!explicitlyWaived, host, port, timeout, rulePacks);
    }

    private static WardlineConfig.Mail mail(ConfigTree t) {
        boolean console = t.bool("mail.console", false);
        String host = console ? t.string("mail.smtp.host").orElse(null) : t.required("mail.smtp.host");
        var security = t.enumValue("mail.smtp.security", WardlineConfig.SmtpSecurity.class, WardlineConfig.SmtpSecurity.STARTTLS);
        if (host != null && security == WardlineConfig.SmtpSecurity.NONE && !isLoopback(host)) {
            t.problem("mail.smtp.security", "none is only allowed for an SMTP relay on loopback; use starttls or tls");
        }
        return new WardlineConfig.Mail(console, host, t.integer("mail.smtp.port", 587, 1, 65535), security,
                t.string("mail.smtp.user").orElse(null), t.secret("mail.smtp.password", false),
                t.string("mail.from", "Wardline <no-reply@localhost>"));
    }

    private static WardlineConfig.Auth auth(ConfigTree t) {
        var argon2 = new WardlineConfig.Argon2(
                t.integer("auth.argon2.memoryKiB", 47_104, 19_456, 4_194_304),
                t.integer("auth.argon2.iterations", 1, 1, 20),
                t.integer("auth.argon2.parallelism", 1, 1, 16));
        List<WardlineConfig.OidcIssuer> issuers = new ArrayList<>();
        for (String name : t.childNames("auth.oidc")) {
            String base = "auth.oidc." + name;
            URI issuer = uri(t, base + ".issuer", true);
            if (issuer != null && "http".equals(issuer.getScheme()) && !isLoopback(issuer.getHost())) {
                t.problem(base + ".issuer", "plain http is only allowed on loopback; use https");
            }
            String clientId = t.required(base + ".clientId");
            issuers.add(new WardlineConfig.OidcIssuer(name, issuer, clientId));
        }
        return new WardlineConfig.Auth(argon2,
                t.integer("auth.accessTokenMinutes", 10, 5, 15),
                t.integer("auth.refreshTokenHours", 12, 1, 24 * 30),
                t.integer("auth.idleTimeoutMinutes", 15, 1, 60),
                t.integer("auth.stepUpMinutes", 5, 1, 30),
                t.integer("auth.lockout.threshold", 5, 1, 100),
                t.integer("auth.lockout.addressThreshold", 50, 1, 10_000),
                t.integer("auth.lockout.maxSeconds", 900, 1, 86_400),
                t.integer("auth.breakGlassMinutes", 60, 5, 24 * 60),
                List.copyOf(issuers));
    }

    private static WardlineConfig.Alerts alerts(ConfigTree t, Path baseDir) {
        var defaults = org.wardline.storage.audit.alert.AlertRulesConfig.defaults();
        var failed = new org.wardline.storage.audit.alert.AlertRulesConfig.FailedSignIns(
                t.integer("alerts.failedSignIns.threshold", defaults.failedSignIns().threshold(), 2, 100_000),
                java.time.Duration.ofSeconds(t.integer("alerts.failedSignIns.windowSeconds",
                        (int) defaults.failedSignIns().window().toSeconds(), 1, 86_400)));
        List<String> actions = t.stringList("alerts.bulkDownloads.actions");
        var bulk = new org.wardline.storage.audit.alert.AlertRulesConfig.BulkDownloads(
                t.integer("alerts.bulkDownloads.threshold", defaults.bulkDownloads().threshold(), 2, 1_000_000),
                java.time.Duration.ofSeconds(t.integer("alerts.bulkDownloads.windowSeconds",
                        (int) defaults.bulkDownloads().window().toSeconds(), 1, 86_400)),
                actions.isEmpty() ? defaults.bulkDownloads().actions() : java.util.Set.copyOf(actions));
        var offDefaults = defaults.offHours();
        java.time.ZoneId zone = offDefaults.zone();
        try {
            zone = java.time.ZoneId.of(t.string("alerts.offHours.zone", offDefaults.zone().getId()));
        } catch (java.time.DateTimeException e) {
            t.problem("alerts.offHours.zone", "not a time zone (use a name such as Europe/Paris or UTC)");
        }
        java.time.LocalTime start = time(t, "alerts.offHours.start", offDefaults.start());
        java.time.LocalTime end = time(t, "alerts.offHours.end", offDefaults.end());
        if (!start.isBefore(end)) {
            t.problem("alerts.offHours.start", "must be before alerts.offHours.end");
            start = offDefaults.start();
            end = offDefaults.end();
        }
        java.util.Set<java.time.DayOfWeek> workdays = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
        List<String> days = t.stringList("alerts.offHours.workdays");
        for (String d : days) {
            try {
                workdays.add(java.time.DayOfWeek.valueOf(d.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                t.problem("alerts.offHours.workdays", "not a day of the week: " + d + " (use MONDAY … SUNDAY)");
            }
        }
        var offHours = new org.wardline.storage.audit.alert.AlertRulesConfig.OffHours(zone, start, end,
                days.isEmpty() ? offDefaults.workdays() : workdays,
                java.time.Duration.ofSeconds(t.integer("alerts.offHours.quietPeriodSeconds",
                        (int) offDefaults.quietPeriod().toSeconds(), 0, 7 * 86_400)));
        org.wardline.storage.audit.alert.AlertRulesConfig rules = null;
        try {
            rules = new org.wardline.storage.audit.alert.AlertRulesConfig(failed, bulk, offHours, t.bool("alerts.outsideTeams", true));
        } catch (IllegalArgumentException e) {
            t.problem("alerts", e.getMessage());
        }
        List<String> recipients = t.stringList("alerts.email.recipients");
        for (String r : recipients) {
            if (!r.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                t.problem("alerts.email.recipients", "not an e-mail address: " + r);
            }
        }
        WardlineConfig.Webhook webhook = null;
        if (t.isSet("alerts.webhook.url")) {
            URI url = uri(t, "alerts.webhook.url", true);
            if (url != null && "http".equals(url.getScheme()) && !isLoopback(url.getHost())) {
                t.problem("alerts.webhook.url", "plain http is only allowed on loopback; use https");
            }
            Secret<String> secret = t.secret("alerts.webhook.secret", true);
            if (secret != null && secret.reveal().length() < 32) {
                t.problem("alerts.webhook.secret", "must be at least 32 characters (a random value shared with the receiver)");
            }
            String trust = t.string("alerts.webhook.trustCertificate").orElse(null);
            Path trustPath = trust == null ? null : resolve(baseDir, trust);
            if (trustPath != null && !java.nio.file.Files.isRegularFile(trustPath)) {
                t.problem("alerts.webhook.trustCertificate", "no such file: " + trustPath);
            }
            webhook = new WardlineConfig.Webhook(url, secret, t.integer("alerts.webhook.maxAttempts", 5, 1, 20),
                    java.time.Duration.ofMillis(t.integer("alerts.webhook.firstRetryMillis", 1000, 10, 600_000)),
                    java.time.Duration.ofMillis(t.integer("alerts.webhook.timeoutMillis", 10_000, 100, 120_000)), trustPath);
        }
        return new WardlineConfig.Alerts(rules, java.time.Duration.ofMillis(t.integer("alerts.pollMillis", 2000, 50, 600_000)),
                t.bool("alerts.email.enabled", true), recipients, webhook,
                java.time.Duration.ofSeconds(t.integer("alerts.auditVerifySeconds", 900, 1, 86_400)));
    }

    private static java.time.LocalTime time(ConfigTree t, String path, java.time.LocalTime fallback) {
        String s = t.string(path).orElse(null);
        if (s == null) {
            return fallback;
        }
        try {
            return java.time.LocalTime.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            t.problem(path, "not a time of day (HH:MM): " + s);
            return fallback;
        }
    }

    private static URI uri(ConfigTree t, String path, boolean required) {
        String s = required ? t.required(path) : t.string(path).orElse(null);
        if (s == null) {
            return null;
        }
        try {
            URI u = new URI(s);
            if (u.getScheme() == null || u.getHost() == null || !Set.of("http", "https").contains(u.getScheme())) {
                t.problem(path, "must be an http(s) URL with a host (was " + s + ")");
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            t.problem(path, "not a URL: " + s);
            return null;
        }
    }

    private static Path resolve(Path baseDir, String p) {
        Path path = Path.of(p);
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path).normalize();
    }

    /** True for loopback names and literals; a name is resolved, so {@code localhost} counts. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            for (InetAddress a : InetAddress.getAllByName(h)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The secret's value or {@code null}. */
    static String revealOrNull(Secret<String> s) {
        return s == null ? null : s.reveal();
    }
}
