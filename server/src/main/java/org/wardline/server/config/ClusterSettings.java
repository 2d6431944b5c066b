package org.wardline.server.config;

import org.wardline.server.audit.SourceAddresses;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads and checks the {@code cluster:} section (see {@link WardlineConfig.Cluster}). */
final class ClusterSettings {
    /** A DNS name or an IP literal, with an optional port: {@code wardline-0.wardline:5701}, {@code 10.0.0.7}, {@code [fd00::7]:5701}. */
    private static final Pattern MEMBER = Pattern.compile(
            "(?<host>[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*|\\[[0-9A-Fa-f:.]+])(:(?<port>[0-9]{1,5}))?");

    private ClusterSettings() {
    }

    static WardlineConfig.Cluster read(ConfigTree t, Path baseDir, WardlineConfig.Tls serverTls, WardlineConfig.Listener... listeners) {
        boolean enabled = t.bool("cluster.enabled", false);
        String name = t.string("cluster.name", "wardline");
        int port = t.integer("cluster.port", 5701, 1, 65535);
        int eventBusPort = t.integer("cluster.eventBusPort", 5702, 1, 65535);
        int joinWait = t.integer("cluster.joinWaitSeconds", 5, 0, 60);
        String host = t.string("cluster.host").orElse(null);
        String publicHost = t.string("cluster.publicHost").orElse(host);
        List<String> members = t.list("cluster.members");
        WardlineConfig.EventBusTls tls = eventBusTls(t, baseDir, serverTls, enabled);
        if (!enabled) {
            return new WardlineConfig.Cluster(false, name, host, port, eventBusPort, publicHost, members, joinWait, tls);
        }
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            t.problem("cluster.name", "1-64 letters, digits, dots, hyphens or underscores");
        }
        if (host == null) {
            t.problem("cluster.host", "required when cluster.enabled: the IP address of the interface to bind "
                    + "(cluster traffic belongs on a private network)");
        } else {
            var ip = SourceAddresses.parse(host);
            if (ip.isEmpty()) {
                t.problem("cluster.host", "must be an IP address literal (was " + host + ")");
            } else if (ip.get().isAnyLocalAddress()) {
                t.problem("cluster.host", "must name one interface, not the wildcard address");
            }
        }
        if (publicHost != null && !MEMBER.matcher(publicHost).matches()) {
            t.problem("cluster.publicHost", "must be a host name or IP address without a port (was " + publicHost + ")");
        }
        if (port == eventBusPort) {
            t.problem("cluster.eventBusPort", "must differ from cluster.port (" + port + ")");
        }
        for (WardlineConfig.Listener l : listeners) {
            if (l.port() == port || l.port() == eventBusPort) {
                t.problem("cluster.port", "port " + l.port() + " is already used by a listener");
            }
        }
        if (members.isEmpty()) {
            t.problem("cluster.members", "required when cluster.enabled: every node's host[:port] (multicast is never used)");
        }
        List<String> bad = new ArrayList<>();
        for (String m : members) {
            var match = MEMBER.matcher(m);
            if (!match.matches() || match.group("port") != null && !validPort(match.group("port"))) {
                bad.add(m);
            }
        }
        if (!bad.isEmpty()) {
            t.problem("cluster.members", "not host[:port]: " + String.join(", ", bad));
        }
        if (host != null && SourceAddresses.parse(host).map(InetAddress::isLoopbackAddress).orElse(false)
                && members.stream().anyMatch(m -> !isLoopbackLiteral(m))) {
            t.problem("cluster.host", "a node bound to loopback cannot reach members on other hosts");
        }
        return new WardlineConfig.Cluster(true, name, host, port, eventBusPort, publicHost, List.copyOf(members), joinWait, tls);
    }

    /** On unless {@code cluster.tls.enabled: false} is set explicitly; then the trust anchor is required. */
    private static WardlineConfig.EventBusTls eventBusTls(ConfigTree t, Path baseDir, WardlineConfig.Tls serverTls, boolean clustered) {
        boolean on = t.bool("cluster.tls.enabled", true);
        String cert = t.string("cluster.tls.certificate").orElse(null);
        String key = t.string("cluster.tls.privateKey").orElse(null);
        String trust = t.string("cluster.tls.trust").orElse(null);
        if (!clustered || !on) {
            return WardlineConfig.EventBusTls.OFF;
        }
        Path certificate = cert != null ? resolve(baseDir, cert) : serverTls.certificate();
        Path privateKey = key != null ? resolve(baseDir, key) : serverTls.privateKey();
        if (trust == null) {
            t.problem("cluster.tls.trust", "required: the PEM certificate of the private CA that issued the nodes' "
                    + "certificates (or set cluster.tls.enabled: false on a network you trust)");
            return new WardlineConfig.EventBusTls(true, certificate, privateKey, null);
        }
        Path anchor = resolve(baseDir, trust);
        if (!Files.isRegularFile(anchor)) {
            t.problem("cluster.tls.trust", "no such file: " + anchor);
        }
        return new WardlineConfig.EventBusTls(true, certificate, privateKey, anchor);
    }

    private static Path resolve(Path baseDir, String p) {
        Path path = Path.of(p);
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path).normalize();
    }

    private static boolean validPort(String p) {
        int n = Integer.parseInt(p);
        return n >= 1 && n <= 65535;
    }

    private static boolean isLoopbackLiteral(String member) {
        var match = MEMBER.matcher(member);
        if (!match.matches()) {
            return false;
        }
        String h = match.group("host");
        h = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        return SourceAddresses.parse(h).map(InetAddress::isLoopbackAddress).orElse(false);
    }
}
