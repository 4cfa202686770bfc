package app.confab.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The message scenarios' shapes ({@code seed}: direct chats and groups; {@code fanout}: big groups)
 * against an XMPP server, with the same pacing, ledger, warm-up, drain and report as against Confab
 * ({@link MessageScenarios.Run}). Users are {@code PREFIX_uNNNNN@localhost} (registered in-band on
 * first use), direct chats are consecutive pairs and groups are MUC rooms of consecutive users, as
 * {@link Population} makes them on Confab.
 */
final class XmppScenarios {

    private XmppScenarios() {
    }

    /** The settings each shape uses, defaulted as the Confab scenario of that name defaults them. */
    static void defaults(Options options, String shape) {
        switch (shape) {
            case "seed" -> options.defaultTo("users", 1000).defaultTo("rate", 50).defaultTo("duration", 60)
                    .defaultTo("group-size", 10).defaultTo("group-share", 0.5);
            case "fanout" -> options.defaultTo("group-size", 300).defaultTo("groups", 1).defaultTo("rate", 100)
                    .defaultTo("duration", 60);
            default -> throw new IllegalArgumentException("compare runs the shapes seed and fanout, not " + shape);
        }
    }

    static Report run(LoadContext context, String shape, String host, int port) {
        Options options = context.options();
        defaults(options, shape);
        String password = "LoadTest-Pass1!";
        int groupSize = options.integer("group-size", 10);
        int userCount = "fanout".equals(shape) ? groupSize * options.integer("groups", 1) : options.integer("users", 1000);
        List<Population.User> users = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            users.add(new Population.User(i, "%s_u%05d".formatted(context.prefix(), i), null, null));
        }
        List<Population.Chat> direct = new ArrayList<>();
        if (!"fanout".equals(shape)) {
            for (int i = 0; i < userCount / 2; i++) {
                direct.add(new Population.Chat(i, "direct-%d-%d".formatted(2 * i, 2 * i + 1), "direct",
                        new int[] {2 * i, 2 * i + 1}));
            }
        }
        List<Population.Chat> groups = new ArrayList<>();
        for (int g = 0; g < userCount / groupSize; g++) {
            int[] members = new int[groupSize];
            for (int m = 0; m < groupSize; m++) {
                members[m] = g * groupSize + m;
            }
            groups.add(new Population.Chat(direct.size() + g, "%s-g%d@%s".formatted(context.prefix(), g, XmppLink.MUC),
                    "group", members));
        }
        // Per user: where each of its chats' messages go.
        List<Map<String, EntityBareJid>> targets = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            targets.add(new HashMap<>());
        }
        for (Population.Chat chat : direct) {
            int a = chat.members()[0];
            int b = chat.members()[1];
            targets.get(a).put(chat.id(), jid(users.get(b).username() + "@" + XmppLink.DOMAIN));
            targets.get(b).put(chat.id(), jid(users.get(a).username() + "@" + XmppLink.DOMAIN));
        }
        Map<String, Boolean> rooms = new ConcurrentHashMap<>();
        for (Population.Chat group : groups) {
            rooms.put(group.id(), true);
            for (int member : group.members()) {
                targets.get(member).put(group.id(), jid(group.id()));
            }
        }
        double share = "fanout".equals(shape) ? 1.0 : options.number("group-share", 0.5);
        System.out.printf("xmpp: %d users, %d direct chats, %d rooms of %d at %s:%d%n", userCount, direct.size(),
                groups.size(), groupSize, host, port);
        CpuMeter cpu = new CpuMeter(context.api(), options);
        try (MessageScenarios.Run run = new MessageScenarios.Run(context, users, direct, groups, share, tracker -> {
            long started = System.nanoTime();
            List<XmppLink> links = Population.parallel(userCount, options.integer("connect-concurrency", 16), i -> {
                try {
                    return new XmppLink(i, users.get(i).username(), password, host, port, tracker, targets.get(i), rooms);
                } catch (Exception e) {
                    throw new IllegalStateException("XMPP login of " + users.get(i).username() + " failed: " + e, e);
                }
            });
            // The first member creates each room; then everyone else joins.
            for (Population.Chat group : groups) {
                join(links.get(group.members()[0]), group);
            }
            List<int[]> joins = new ArrayList<>();
            for (Population.Chat group : groups) {
                for (int m = 1; m < group.members().length; m++) {
                    joins.add(new int[] {group.index() - direct.size(), group.members()[m]});
                }
            }
            Population.parallel(joins.size(), 16, j -> {
                join(links.get(joins.get(j)[1]), groups.get(joins.get(j)[0]));
                return null;
            });
            System.out.printf("xmpp: %d connections ready, rooms joined in %.1f s%n", links.size(),
                    (System.nanoTime() - started) / 1e9);
            return links;
        }, cpu)) {
            run.pace(options.number("rate", 50), options.seconds("duration", 60));
            Report report = run.finish(shape);
            report.put("Server", "xmpp://" + host + ":" + port);
            report.passed = (long) report.get("Deliveries missing") == 0 && (long) report.get("Duplicates") == 0;
            return report;
        }
    }

    private static void join(XmppLink link, Population.Chat group) {
        try {
            link.join(jid(group.id()));
        } catch (Exception e) {
            throw new IllegalStateException("Could not join " + group.id() + ": " + e, e);
        }
    }

    private static EntityBareJid jid(String text) {
        return JidCreate.entityBareFromOrThrowUnchecked(text);
    }
}
