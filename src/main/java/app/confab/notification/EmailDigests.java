package app.confab.notification;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

import app.confab.notification.NotificationRepository.DigestItem;
import jakarta.mail.internet.MimeMessage;

/**
 * Email for missed messages: with SMTP_URL set, a member who has not read a direct message (or,
 * when they asked for groups, a mention or reply in a group) for their delay gets one digest of
 * everything due, then nothing more about those messages. No email while they are online, none
 * in their quiet hours (it waits), none for chats they muted. Every node scans; the
 * {@code email_deliveries} claim makes each message go into one email per recipient, and a digest
 * the SMTP server did not accept gives its claim back, so it goes out at a later scan.
 */
@Component
class EmailDigests {

    private static final Logger log = LoggerFactory.getLogger(EmailDigests.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final NotificationRepository repository;
    private final MentionSource mentions;
    private final UnsubscribeTokens unsubscribe;
    private final NotificationProperties properties;
    private final Clock clock;
    private volatile JavaMailSenderImpl mail;

    EmailDigests(NotificationRepository repository, MentionSource mentions,
                 UnsubscribeTokens unsubscribe, NotificationProperties properties, Clock clock) {
        this.repository = repository;
        this.mentions = mentions;
        this.unsubscribe = unsubscribe;
        this.properties = properties;
        this.clock = clock;
        this.mail = NotificationProperties.blank(properties.smtpUrl()) ? null : sender(properties.smtpUrl());
    }

    boolean enabled() {
        return mail != null;
    }

    /** Points digests at another SMTP server (null: none); for tests sharing one server context. */
    void useSmtp(String smtpUrl) {
        this.mail = smtpUrl == null ? null : sender(smtpUrl);
    }

    /** {@code smtp://user:pass@host:port} (STARTTLS when offered; {@code ?starttls=required} insists) or {@code smtps://}. */
    static JavaMailSenderImpl sender(String smtpUrl) {
        URI uri = URI.create(smtpUrl.trim());
        boolean smtps = "smtps".equalsIgnoreCase(uri.getScheme());
        if (!smtps && !"smtp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalStateException("SMTP_URL must look like smtp://user:password@host:587 or smtps://…");
        }
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setProtocol(smtps ? "smtps" : "smtp");
        sender.setHost(uri.getHost());
        sender.setPort(uri.getPort() > 0 ? uri.getPort() : smtps ? 465 : 587);
        sender.setDefaultEncoding("UTF-8");
        Properties props = new Properties();
        String prefix = "mail." + (smtps ? "smtps" : "smtp") + ".";
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            sender.setUsername(URLDecoder.decode(parts[0], StandardCharsets.UTF_8));
            sender.setPassword(parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            props.put(prefix + "auth", "true");
        }
        if (!smtps) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required",
                    String.valueOf(uri.getQuery() != null && uri.getQuery().contains("starttls=required")));
        }
        props.put(prefix + "connectiontimeout", "10000");
        props.put(prefix + "timeout", "10000");
        props.put(prefix + "writetimeout", "10000");
        sender.setJavaMailProperties(props);
        return sender;
    }

    @Scheduled(fixedDelayString = "${confab.notifications.email-scan-interval:30s}", initialDelay = 1000)
    void scan() {
        if (mail == null) {
            return;
        }
        try {
            sendDue();
        } catch (RuntimeException e) {
            log.warn("Email digest scan failed; retrying at the next scan: {}", e.toString());
        }
    }

    synchronized void sendDue() {
        if (mail == null) {
            return;
        }
        Instant now = clock.instant();
        // Older than a week is not "missed" any more, it is history.
        List<DigestItem> candidates = repository.digestCandidates(now, now.minus(Duration.ofDays(7)));
        Map<UUID, List<DigestItem>> byUser = new LinkedHashMap<>();
        for (DigestItem item : candidates) {
            if (QuietHours.isQuiet(item.quietStart(), item.quietEnd(), item.quietTimeZone(), now)) {
                continue;
            }
            boolean direct = "direct".equals(item.chatType());
            if (!direct) {
                if (!item.emailGroups()) {
                    continue;
                }
                boolean reply = item.userId().equals(item.replyToSenderId());
                Map<UUID, String> self = Map.of(item.userId(), item.recipientUsername());
                Set<UUID> mentioned = mentions.mentioned(item.mentions(), item.mentionsEveryone(), self);
                if (!reply && !mentioned.contains(item.userId())) {
                    continue;
                }
            }
            byUser.computeIfAbsent(item.userId(), id -> new ArrayList<>()).add(item);
        }
        for (Map.Entry<UUID, List<DigestItem>> digest : byUser.entrySet()) {
            if (!sendDigest(digest.getKey(), digest.getValue())) {
                // The SMTP server refused or could not be reached: the next recipient's digest would
                // most likely fail the same way, so the scan stops and the next one tries them all again.
                return;
            }
        }
    }

    /** False when the email could not be handed to the SMTP server (its messages are then due again). */
    private boolean sendDigest(UUID userId, List<DigestItem> items) {
        List<UUID> claimed = repository.claimEmail(userId, items.stream().map(DigestItem::messageId).toList());
        List<DigestItem> mine = items.stream().filter(i -> claimed.contains(i.messageId())).toList();
        if (mine.isEmpty()) {
            return true;
        }
        String base = properties.publicUrl();
        String unsubscribeUrl = base + "/api/notifications/unsubscribe?token=" + unsubscribe.issue(userId);
        StringBuilder text = new StringBuilder("You have unread messages in Confab:\n\n");
        StringBuilder html = new StringBuilder("<!doctype html><html><body style=\"font-family:system-ui,sans-serif\">"
                + "<p>You have unread messages in Confab:</p><ul style=\"padding-left:1em\">");
        for (DigestItem item : mine) {
            String chat = "direct".equals(item.chatType()) ? Previews.plain(item.senderName(), 60)
                    : Previews.plain(item.chatName(), 60);
            String senderName = Previews.plain(item.senderName(), 60);
            String body = Previews.plain(item.content(), 300);
            String link = base + "/chats/" + item.chatId() + "/messages/" + item.messageId();
            text.append(senderName).append(" in ").append(chat).append(" (").append(TIME.format(item.createdAt()))
                    .append("):\n").append(body).append("\n").append(link).append("\n\n");
            html.append("<li style=\"margin-bottom:12px\"><strong>").append(HtmlUtils.htmlEscape(senderName))
                    .append("</strong> in ").append(HtmlUtils.htmlEscape(chat)).append(" <small>")
                    .append(TIME.format(item.createdAt())).append("</small><br>")
                    .append(HtmlUtils.htmlEscape(body)).append("<br><a href=\"").append(HtmlUtils.htmlEscape(link))
                    .append("\">Open in Confab</a></li>");
        }
        text.append("--\nStop these emails: ").append(unsubscribeUrl).append('\n');
        html.append("</ul><p style=\"color:#64748b;font-size:12px\">You get this because you have email notifications on. <a href=\"")
                .append(HtmlUtils.htmlEscape(unsubscribeUrl)).append("\">Unsubscribe</a></p></body></html>");
        try {
            MimeMessage message = mail.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
            helper.setFrom(properties.mailFrom());
            helper.setTo(mine.getFirst().emailAddress());
            helper.setSubject(mine.size() == 1 ? "1 unread message in Confab" : mine.size() + " unread messages in Confab");
            helper.setText(text.toString(), html.toString());
            message.setHeader("List-Unsubscribe", "<" + unsubscribeUrl + ">");
            message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            message.setHeader("Auto-Submitted", "auto-generated");
            mail.send(message);
            return true;
        } catch (Exception e) {
            // Not handed over (SMTP down, refused, timed out): the claim is given back, so the next
            // scan (this node's or another's) sends the digest then. A digest the server accepted
            // keeps its claim, so a message is emailed once, never twice.
            log.warn("Could not send a digest email; retrying at the next scan: {}", e.toString());
            repository.releaseEmail(userId, mine.stream().map(DigestItem::messageId).toList());
            return false;
        }
    }
}
