-- Search benchmark corpus (docs/performance/search-feature-benchmark.md). Settings read here:
--   bench.users, bench.groups, bench.directs, bench.messages, bench.password_hash
-- Users, group chats of varied size, direct chats and messages whose senders are members. Text is
-- drawn from a work-chat vocabulary with a skewed (Zipf-like) word frequency, plus ticket numbers,
-- **bold**/*italic* markup, HTML-escaped characters, and 4% Japanese, Chinese or Korean sentences.
-- Membership is arithmetic (no lookups): group g has members (g*7 + k*13) % users for
-- k < size(g); direct chat d is between users d % users and (d*17 + 1) % users.

CREATE TEMP TABLE bench_vocabulary AS
SELECT array_agg(word ORDER BY ordinality) AS words, count(*)::int AS n
FROM unnest(regexp_split_to_array(
'the to and a i you it is for we that on this in of be can have just will with so do not
 are at if what me my was but all get it&#39;s ok know think about need up now then there one
 let thanks yes no out like from time today they how would our should going good as
 meeting deploy release build review branch merge test tests server client issue bug fix
 ticket customer call tomorrow morning afternoon week sprint standup demo update doc docs
 design team project plan data database query index cache queue service api endpoint request
 response error errors logs log alert alerts pager incident outage latency timeout retry
 config configuration deployment environment staging production prod dev local laptop
 slack email calendar invite agenda notes minutes slides draft feedback comment comments
 approve approved pending blocked blocker priority urgent later soon quick sync lunch coffee
 break holiday vacation office remote home train flight hotel budget invoice contract sales
 marketing launch feature features roadmap quarter goal goals metric metrics dashboard report
 chart graph number numbers spreadsheet file files folder upload download image images
 screenshot video link links page pages site website browser mobile android ios app apps
 version versions upgrade migration migrations schema table column row rows postgres redis
 kafka kubernetes docker cluster node nodes pod pods container memory cpu disk network
 firewall certificate password token login logout session user users account accounts
 permission permissions role admin owner member members group groups channel channels thread
 message messages search results performance benchmark load stress capacity scale scaling
 monitor monitoring grafana prometheus metrics tracing debug debugging stack trace exception
 crash crashed restart restarted rollback rollout canary feature-flag toggle experiment
 analytics funnel conversion revenue churn signup onboarding pricing plan plans invoice
 refund support escalation weekend friday monday tuesday wednesday thursday january february
 march april june july august september october november december morning evening night
 awesome great nice cool perfect thanks! sorry oops hmm maybe probably definitely agreed sure
 interesting weird strange broken working works fixed merged shipped done finished started
 starting waiting checking looking reviewing testing writing reading running deploying
 migrating refactoring cleaning investigating debugging pairing planning discussing
 hiring interview candidate onboarding offsite workshop training presentation keynote
 conference webinar podcast article blog newsletter announcement celebration birthday
 anniversary kudos shoutout welcome goodbye farewell congrats congratulations', '\s+'))
     WITH ORDINALITY AS t(word, ordinality)
WHERE word <> '';

CREATE TEMP TABLE bench_cjk AS
SELECT ARRAY[
 '明日の会議は十時からです', '東京タワーに行きました', 'デプロイが完了しました',
 '新しい機能をリリースします', 'サーバーの負荷が高いです', 'レビューをお願いします',
 '我们明天开会讨论项目进度', '数据库查询太慢了', '这个问题已经修复了', '请检查一下日志',
 '下周发布新版本', '客户反馈很好', '서울에서 회의가 있습니다', '배포가 완료되었습니다'] AS sentences;

INSERT INTO users (id, username, password_hash, display_name, created_at)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(u), 12, '0'))::uuid,
       'bench_user_' || u,
       current_setting('bench.password_hash'),
       'Bench User ' || u,
       now() - interval '800 days'
FROM generate_series(0, current_setting('bench.users')::int - 1) AS u;

CREATE TEMP TABLE bench_chats AS
SELECT g AS n, 'group' AS type,
       -- group sizes: many small teams, a few company-wide channels
       CASE WHEN g % 50 = 0 THEN 300 WHEN g % 10 = 0 THEN 80 ELSE 4 + (g * 31) % 30 END AS size,
       ('00000000-0000-4000-9000-' || lpad(to_hex(g), 12, '0'))::uuid AS id
FROM generate_series(0, current_setting('bench.groups')::int - 1) AS g
UNION ALL
SELECT d, 'direct', 2, ('00000000-0000-4000-a000-' || lpad(to_hex(d), 12, '0'))::uuid
FROM generate_series(0, current_setting('bench.directs')::int - 1) AS d;

INSERT INTO chats (id, type, name, slug, direct_key, owner_id, created_at)
SELECT c.id, c.type,
       CASE WHEN c.type = 'group' THEN 'Bench Group ' || c.n END,
       CASE WHEN c.type = 'group' THEN 'bench-group-' || c.n END,
       CASE WHEN c.type = 'direct' THEN 'bench:' || c.n END,
       NULL, now() - interval '800 days'
FROM bench_chats c;

-- Member k of a chat: arithmetic so messages can pick a sender without a lookup.
CREATE FUNCTION pg_temp.bench_member(type TEXT, n INT, k INT, users INT) RETURNS INT
    LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN type = 'group' THEN (n * 7 + k * 13) % users
            WHEN k = 0 THEN n % users ELSE (n * 17 + 1) % users END
$$;

INSERT INTO chat_participants (chat_id, user_id, role, joined_at)
SELECT DISTINCT ON (c.id, m.user_id) c.id, m.user_id, CASE WHEN k = 0 THEN 'owner' ELSE 'member' END,
       now() - interval '800 days'
FROM bench_chats c
CROSS JOIN LATERAL generate_series(0, c.size - 1) AS k
CROSS JOIN LATERAL (SELECT ('00000000-0000-4000-8000-' ||
        lpad(to_hex(pg_temp.bench_member(c.type, c.n, k, current_setting('bench.users')::int)), 12, '0'))::uuid AS user_id) m
ORDER BY c.id, m.user_id, k;

CREATE TEMP TABLE bench_chat_index AS
SELECT row_number() OVER (ORDER BY type DESC, n) - 1 AS i, * FROM bench_chats;
CREATE UNIQUE INDEX ON bench_chat_index (i);
ANALYZE bench_chat_index;

-- Messages: three in four go to group chats, skewed so a few company-wide channels carry most
-- (chat index = groups * random()^3: group 0 alone gets 15% of group messages).
INSERT INTO messages (id, chat_id, sender_id, position, content, created_at)
SELECT gen_random_uuid(), c.id,
       ('00000000-0000-4000-8000-' ||
        lpad(to_hex(pg_temp.bench_member(c.type, c.n, (random() * (c.size - 1))::int, current_setting('bench.users')::int)), 12, '0'))::uuid,
       1000000000 + s.g,
       s.content,
       now() - interval '730 days' + (s.g::float / current_setting('bench.messages')::int) * interval '730 days'
FROM (
    SELECT g,
           CASE WHEN random() < 0.75
                THEN floor(power(random(), 3) * current_setting('bench.groups')::int)::int
                ELSE current_setting('bench.groups')::int
                     + floor(random() * current_setting('bench.directs')::int)::int END AS chat_index,
           CASE
               WHEN g % 25 = 7 THEN (SELECT sentences[1 + ((g::bigint * 7919 + (random() * 13)::int) % 14)::int] FROM bench_cjk)
               ELSE (SELECT array_to_string(array_agg(
                        CASE WHEN r < 0.015 THEN 'CONF-' || (1 + (r * 1e6)::int % 20000)
                             WHEN r < 0.03 THEN '**' || v.words[1 + floor(power(random(), 2) * v.n)::int] || '**'
                             WHEN r < 0.04 THEN '*' || v.words[1 + floor(power(random(), 2) * v.n)::int] || '*'
                             WHEN r < 0.045 THEN '&lt;b&gt;'
                             ELSE v.words[1 + floor(power(random(), 2.5) * v.n)::int] END), ' ')
                     FROM bench_vocabulary v,
                          LATERAL (SELECT random() AS r, w FROM generate_series(1, 3 + (g % 5) * 3 + (random() * 6)::int) AS w) AS pick)
               END AS content
    FROM generate_series(1, current_setting('bench.messages')::int) AS g
) s
JOIN bench_chat_index c ON c.i = s.chat_index;

INSERT INTO attachments (uploader_id, message_id, chat_id, file_name, file_type, size_bytes, storage_key)
SELECT m.sender_id, m.id, m.chat_id, 'photo.png', 'image/png', 123456, 'bench/' || m.id
FROM messages m WHERE m.position % 40 = 3;

UPDATE messages SET is_edited = TRUE, edited_at = created_at + interval '1 minute',
                    content = content || ' (edited)'
WHERE position % 50 = 11;
UPDATE messages SET is_deleted = TRUE, deleted_at = created_at + interval '2 minutes', content = ''
WHERE position % 100 = 13;

SELECT setval('event_position_seq', (SELECT max(position) FROM messages) + 1);
