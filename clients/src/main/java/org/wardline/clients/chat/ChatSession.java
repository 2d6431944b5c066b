package org.wardline.clients.chat;

import org.wardline.clients.messaging.Attachment;
import org.wardline.clients.messaging.ConversationId;
import org.wardline.clients.messaging.ConversationMember;
import org.wardline.clients.messaging.MessageListener;
import org.wardline.clients.messaging.MessagingClient;
import org.wardline.clients.messaging.Receipt;
import org.wardline.clients.messaging.ReceivedMessage;
import org.wardline.protocol.mls.DeviceUri;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The commands of {@code wardline chat}, independent of the terminal: each input line is a command
 * ({@code /new}, {@code /invite}, {@code /open}, …) or a message for the open conversation; everything to show
 * goes to {@code out}, incoming messages included. Lines shown never go to logs.
 */
public final class ChatSession implements MessageListener {
    static final String HELP = """
            /new [lifetime]           start a conversation (and open it); with a lifetime (30m, 8h, 7d) its
                                      messages disappear that long after they are sent
            /invite <user-or-device>  add every device of a colleague, by exact user name (nurse.kim) or URN
                                      (urn:wardline:user:…), or one device
            /remove <device>          remove a device from the open conversation (a device URI, or the short
                                      form /members prints, 1a2b3c4d/5e6f)
            /list                     conversations on this device
            /open <id-prefix>         open a conversation
            /members                  devices in the open conversation: name, short form, safety number; a legal-hold
                                      member (records custodian) is marked [legal hold (records custodian)]
            /safety <device>          safety number of you and that device (compare it with theirs out of band);
                                      a device is its URI or the short form /members prints (1a2b3c4d/5e6f)
            /file <path>              upload a file (it is scanned) and share it into the open conversation
            /download [file-id]       save a file shared here (default: the last one) into the downloads folder
            /history                  messages of the open conversation kept on this device
            /sendhistory <device>     send this device's history to a new device of yours (end to end encrypted)
            /read                     send a read receipt for the last message received
            /quit                     leave
            anything else             send it to the open conversation (while disconnected or signed out it waits,
                                      marked pending, kept in the vault through a restart, and is sent
                                      once, in order, when the connection returns)

            This device keeps its conversations' encryption state in its vault: after a restart it reads what was
            sent meanwhile. After an idle logoff, `wardline login` in another terminal resumes every conversation.""";

    private final Consumer<String> out;
    private final Path downloads;
    private final Map<String, Attachment> files = new LinkedHashMap<>();
    private MessagingClient client;
    private ConversationId open;
    private ReceivedMessage last;
    private Attachment lastFile;
    /** Callbacks may come before {@link #attach}: until then no name is looked up (nor kept). */
    private final ColleagueNames names = new ColleagueNames(user -> {
        MessagingClient c = client;
        if (c == null) {
            throw new IllegalStateException("not attached yet");
        }
        return c.displayName(user);
    });

    public ChatSession(Consumer<String> out) {
        this(out, Path.of("."));
    }

    /** @param downloads where {@code /download} saves files */
    public ChatSession(Consumer<String> out, Path downloads) {
        this.out = out;
        this.downloads = downloads;
    }

    /** Attaches the client this session drives (the client reports to this session as its listener). */
    public void attach(MessagingClient client) {
        this.client = client;
    }

    /** Handles one input line; returns false when the user asked to quit. */
    public boolean handle(String line) {
        String input = line.strip();
        if (input.isEmpty()) {
            return true;
        }
        try {
            if (!input.startsWith("/")) {
                send(input);
                return true;
            }
            String[] words = input.split("\\s+");
            switch (words[0]) {
                case "/quit", "/exit" -> {
                    return false;
                }
                case "/help" -> out.accept(HELP);
                case "/new" -> {
                    java.time.Duration ttl = words.length > 1 ? lifetime(words[1]) : java.time.Duration.ZERO;
                    open = get(client.createConversation(ttl));
                    out.accept("opened new conversation " + open
                            + (ttl.isZero() ? "" : " (its messages disappear " + words[1] + " after they are sent)"));
                }
                case "/invite" -> {
                    requireOpen();
                    List<String> who = new ArrayList<>();
                    for (int i = 1; i < words.length; i++) {
                        if (words[i].startsWith("urn:")) {
                            who.add(words[i]);
                            continue;
                        }
                        var colleague = client.findColleague(words[i]);
                        if (colleague.isEmpty()) {
                            out.accept("no colleague with the user name " + words[i] + " (check the exact name); nobody invited");
                            return true;
                        }
                        who.add(colleague.get().urn());
                    }
                    if (who.isEmpty()) {
                        throw new IllegalArgumentException("usage: /invite <user-name-or-URN>…");
                    }
                    long epoch = get(client.invite(open, who));
                    out.accept("invited " + who.size() + " (epoch " + epoch + ")");
                }
                case "/remove" -> {
                    requireOpen();
                    List<DeviceUri> devices = new ArrayList<>();
                    for (int i = 1; i < words.length; i++) {
                        devices.add(ColleagueNames.parse(words[i], get(client.members(open))));
                    }
                    MessagingClient.Removal r = get(client.remove(open, devices));
                    out.accept(r == MessagingClient.Removal.REMOVED ? "removed"
                            : "you were the last one left: conversation closed (start a /new one when someone returns)");
                    if (r == MessagingClient.Removal.CONVERSATION_CLOSED) {
                        open = null;
                    }
                }
                case "/list" -> {
                    var all = get(client.conversations());
                    if (all.isEmpty()) {
                        out.accept("no conversations on this device yet: /new starts one");
                    }
                    for (ConversationId c : all) {
                        out.accept((c.equals(open) ? "* " : "  ") + c + "  (" + get(client.members(c)).size() + " devices)");
                    }
                }
                case "/file" -> {
                    requireOpen();
                    if (words.length < 2) {
                        throw new IllegalArgumentException("usage: /file <path>");
                    }
                    Path file = Path.of(input.substring(words[0].length()).strip());
                    Attachment a = get(client.sendFile(open, file));
                    files.put(a.fileId(), a);
                    out.accept("sent file " + a.name() + " (" + a.size() + " bytes, id " + a.fileId().substring(0, 8) + ")");
                }
                case "/download" -> {
                    Attachment a = words.length > 1 ? files.values().stream()
                            .filter(f -> f.fileId().startsWith(words[1])).findFirst()
                            .orElseThrow(() -> new IllegalArgumentException("no file with that id here"))
                            : Optional.ofNullable(lastFile).orElseThrow(() -> new IllegalArgumentException("no file received yet"));
                    java.nio.file.Files.createDirectories(downloads);
                    Path saved = get(client.download(a, freeName(a.safeFileName())));
                    out.accept("saved " + saved + " (" + a.size() + " bytes, SHA-256 checked)");
                }
                case "/history" -> {
                    requireOpen();
                    for (ReceivedMessage m : get(client.history())) {
                        if (m.conversation().equals(open)) {
                            out.accept("  " + time(m) + " " + names.person(m.sender()) + ": " + describe(m));
                        }
                    }
                }
                case "/open" -> {
                    String prefix = words.length > 1 ? words[1] : "";
                    Optional<ConversationId> match = get(client.conversations()).stream()
                            .filter(c -> c.hex().startsWith(prefix)).findFirst();
                    open = match.orElseThrow(() -> new IllegalArgumentException("no such conversation"));
                    out.accept("opened " + open);
                }
                case "/members" -> {
                    requireOpen();
                    for (ConversationMember m : get(client.legalHold().members(open))) {
                        String label = m.legalHold().map(l -> "  [" + l + "]").orElse("");
                        out.accept(m.thisDevice() ? names.device(m.device()) + "  (this device)"
                                : names.device(m.device()) + label + "  safety " + get(client.safetyNumber(open, m.device())));
                    }
                }
                case "/safety" -> {
                    requireOpen();
                    DeviceUri d = ColleagueNames.parse(words.length > 1 ? words[1] : "", get(client.members(open)));
                    out.accept(get(client.safetyNumber(open, d)));
                }
                case "/sendhistory" -> {
                    DeviceUri d = ColleagueNames.parse(words.length > 1 ? words[1] : "", knownDevices());
                    out.accept("sent " + get(client.sendHistoryTo(d)) + " history records to " + names.device(d));
                }
                case "/read" -> {
                    if (last != null) {
                        get(client.markRead(last));
                        out.accept("read receipt sent");
                    }
                }
                default -> out.accept("unknown command; /help lists them");
            }
        } catch (org.wardline.clients.sdk.WardlineClientException e) {
            out.accept("! " + e.getMessage() + " [" + e.errorCode() + "]");
        } catch (org.wardline.clients.messaging.MessagingException e) {
            out.accept("! refused [" + e.code() + "]");
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.accept("! " + e.getMessage());
        } catch (Exception e) {
            out.accept("! failed: " + rootMessage(e));
        }
        return true;
    }

    private void send(String text) throws Exception {
        requireOpen();
        java.util.concurrent.CompletableFuture<Long> sent = client.send(open, text.getBytes(StandardCharsets.UTF_8));
        if (!client.isConnected()) {
            out.accept("(pending: sent when the connection returns)");
            ConversationId where = open;
            sent.whenComplete((id, e) -> out.accept(e == null ? "sent #" + id + " (was pending)"
                    : "! a pending message in " + where + " was not sent: " + rootMessage(e)));
            return;
        }
        long id = get(sent);
        out.accept("sent #" + id);
    }

    /** A message lifetime as typed: a number and m, h or d ({@code 30m}, {@code 8h}, {@code 7d}). */
    static java.time.Duration lifetime(String typed) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([1-9][0-9]{0,5})([mhd])").matcher(typed);
        if (!m.matches()) {
            throw new IllegalArgumentException("a message lifetime is a number and m, h or d, e.g. 30m, 8h, 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofDays(n);
        };
    }

    private void requireOpen() {
        if (open == null) {
            throw new IllegalStateException("no open conversation: /new or /open first");
        }
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void onMessage(ReceivedMessage message) {
        last = message;
        message.attachment().ifPresent(a -> {
            files.put(a.fileId(), a);
            lastFile = a;
        });
        out.accept("[" + message.conversation().hex().substring(0, 8) + "] " + time(message) + " " + names.person(message.sender())
                + ": " + describe(message));
    }

    private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter.ofPattern("MMM d HH:mm");

    /** When the message was sent, in this machine's time zone. */
    private static String time(ReceivedMessage m) {
        return TIME.format(java.time.Instant.ofEpochMilli(m.sentAt()).atZone(java.time.ZoneId.systemDefault()));
    }

    private static String describe(ReceivedMessage m) {
        return m.attachment().map(a -> "[file] " + a.name() + " (" + a.size() + " bytes) — /download " + a.fileId().substring(0, 8))
                .orElseGet(m::text) + (m.expiresAt() == 0 ? ""
                : "  (disappears " + TIME.format(java.time.Instant.ofEpochMilli(m.expiresAt()).atZone(java.time.ZoneId.systemDefault())) + ")");
    }

    /** A path in the downloads folder that does not exist yet: {@code name}, else {@code name (2)}, … */
    private Path freeName(String name) {
        Path p = downloads.resolve(name);
        int dot = name.lastIndexOf('.');
        for (int i = 2; java.nio.file.Files.exists(p); i++) {
            p = downloads.resolve(dot > 0 ? name.substring(0, dot) + " (" + i + ")" + name.substring(dot) : name + " (" + i + ")");
        }
        return p;
    }

    @Override
    public void onJoined(ConversationId conversation) {
        if (open == null) {
            open = conversation;
        }
        out.accept("you were added to conversation " + conversation + (conversation.equals(open) ? " (open)" : ""));
    }

    @Override
    public void onRemoved(ConversationId conversation) {
        if (conversation.equals(open)) {
            open = null;
        }
        out.accept("you were removed from conversation " + conversation);
    }

    @Override
    public void onMembershipChanged(ConversationId conversation, DeviceUri by, List<DeviceUri> added, List<DeviceUri> removed) {
        StringBuilder line = new StringBuilder("[" + conversation.hex().substring(0, 8) + "] " + names.person(by));
        if (!added.isEmpty()) {
            line.append(" added ").append(String.join(", ", added.stream().map(names::device).toList()));
        }
        if (!removed.isEmpty()) {
            line.append(added.isEmpty() ? " removed " : "; removed ")
                    .append(String.join(", ", removed.stream().map(names::device).toList()));
        }
        out.accept(line.toString());
    }

    @Override
    public void onSafetyNumberChanged(ConversationId conversation, DeviceUri member) {
        out.accept("! [" + conversation.hex().substring(0, 8) + "] the safety number with " + names.device(member)
                + " changed: compare it again (/safety " + ColleagueNames.shortForm(member) + ") before trusting that device");
    }

    @Override
    public void onReceipt(Receipt receipt) {
        out.accept("  #" + receipt.messageId() + " " + receipt.kind().name().toLowerCase() + " by " + names.person(receipt.from()));
    }

    @Override
    public void onHistory(int records) {
        out.accept("received " + records + " history records from another of your devices (/history shows them)");
    }

    @Override
    public void onRejected(ConversationId conversation, String reason) {
        out.accept("! a message in " + conversation + " was rejected: " + reason);
    }

    @Override
    public void onUndecryptable(ConversationId conversation, String reason) {
        String why = switch (reason) {
            case NOT_A_MEMBER_HERE -> "this device holds no keys for that conversation";
            case EARLIER_EPOCH -> "it was sent before this device's keys for the conversation changed";
            default -> "it does not decrypt with this device's keys";
        };
        out.accept("! 1 message in " + conversation + " could not be decrypted: " + why + " (kept, undecrypted)");
    }

    @Override
    public void onStateLost(java.util.List<ConversationId> conversations, String reason) {
        out.accept("! " + reason + "; it was set aside and not used.");
        if (!conversations.isEmpty()) {
            out.accept("! messages sent before now are lost on this device in " + conversations.size()
                    + " conversation(s): " + conversations + " — asking their members to add this device back");
        }
    }

    @Override
    public void onSignedOut() {
        out.accept("signed out (idle logoff, or signed out elsewhere): run `wardline login` to continue; "
                + "your conversations and unread messages are kept and resume then");
    }

    @Override
    public void onDeviceRevoked() {
        out.accept("this device was revoked (or its certificate is no longer accepted): the server refuses it, so "
                + "it stopped connecting; enrol it again with `wardline enroll`");
    }

    @Override
    public void onPendingSent(ConversationId conversation, long messageId) {
        out.accept("[" + conversation.hex().substring(0, 8) + "] sent #" + messageId
                + (messageId == 0 ? " (already sent before the restart)" : " (was pending before the restart)"));
    }

    @Override
    public void onPendingFailed(ConversationId conversation, String code) {
        out.accept("! [" + conversation.hex().substring(0, 8) + "] a message pending before the restart was not sent ["
                + code + "]");
    }

    @Override
    public void onPendingLost(String reason) {
        out.accept("! " + reason);
    }

    @Override
    public void onReceiptsDropped(int count) {
        out.accept("! " + count + " receipt(s) could not be sent and were dropped (too many waiting)");
    }

    @Override
    public void onConnection(boolean connected) {
        out.accept(connected ? "(connected)" : "(disconnected, reconnecting…)");
    }

    /** The members of every conversation on this device, whose short forms a command may name. */
    private java.util.Set<DeviceUri> knownDevices() throws Exception {
        java.util.Set<DeviceUri> all = new java.util.HashSet<>();
        for (ConversationId c : get(client.conversations())) {
            all.addAll(get(client.members(c)));
        }
        return all;
    }
}
