#!/usr/bin/env bash
# All of issue 17's figures in one run, back to back, for a QUIET machine (nothing else running:
# every latency and throughput figure here is meaningless under foreign load). Writes each run's
# report into docs/performance/ (FIGURES_OUT) and prints, at the end, a markdown summary table to
# paste into docs/PERFORMANCE.md (also written to docs/performance/figures-TIMESTAMP.md).
#
#   tools/perf/figures.sh                 # the full set, about 20-25 minutes on two cores
#   FIGURES_QUICK=1 tools/perf/figures.sh # a smoke run of every step with tiny durations (~10 min
#                                         # on the loaded build machine)
#   FIGURES_STEPS="seed throughput fanout" tools/perf/figures.sh  # only these steps (names: seed,
#                                         # rates, throughput, cold, fanout, memory)
#
# Builds target/confab.jar when missing, and the AOT cache (tools/perf/train-aot.sh) when missing
# or older than the jar (that time is not part of the budget). Each step starts its own fresh
# server(s): `compare` starts ejabberd (tools/ejabberd/ejabberd.yml) and Confab itself; the
# Confab-only steps start `java -jar target/confab.jar` out of the box (embedded PostgreSQL in a
# temporary DATA_DIR, per-user rate limits lifted) and stop it afterwards.
#
# Steps (full durations; FIGURES_QUICK=1 cuts users, rates and seconds):
#   1. compare seed: 1,000 users, 50 msg/s, 60 s, 10 s warm-up            (Confab | ejabberd)
#   2. compare 200 users at 400, 800, 1,200 msg/s, 30 s, 10 s warm-up      (Confab | ejabberd)
#   3. Confab throughput: 250 -> 2,500 msg/s in steps of 250 (FIGURES_TP_START/STEP/MAX), 20 s each,
#      until p99 > 500 ms (FIGURES_TP_LIMIT: the curve goes on past the 50 ms knee) or a
#      loss; each step with the machine's CPU busy %
#   4. cold start: fresh server, no warm-up, 400 msg/s for 60 s: compare WITH the AOT cache
#      (ejabberd beside it), then Confab alone WITHOUT it
#   5. compare fanout: a 300-member group, 100 msg/s, 30 s, 10 s warm-up
#   6. memory: 4,000 idle connections, heap after a full GC per connection, class histogram
#   (1 -> 3 nodes on one PostgreSQL is not here: it needs an external PostgreSQL, Redis and nginx;
#   see docs/SCALING.md for its commands.)
# Needs: ejabberd (/usr/sbin/ejabberdctl; apt-get install ejabberd), python3, curl, jcmd (the JDK).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
unset DATABASE_URL DATABASE_REPLICA_URL REDIS_URL || true
quick=${FIGURES_QUICK:-0}
out=${FIGURES_OUT:-docs/performance}
jar=target/confab.jar
aot=target/confab.aot
stamp=$(date -u +%Y%m%d-%H%M%S)
work=$(mktemp -d /tmp/confab-figures.XXXX)
mkdir -p "$out"
started=$(date +%s)
server_pid=
steps=" ${FIGURES_STEPS:-seed rates throughput cold fanout memory} "
want() { [[ "$steps" == *" $1 "* ]]; }

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

log() { printf '\n=== [%4ds] %s\n' $(( $(date +%s) - started )) "$*"; }

[ -x /usr/sbin/ejabberdctl ] || { echo "ejabberd is not installed: apt-get install ejabberd" >&2; exit 2; }
if [ ! -f "$jar" ]; then
  log "building $jar"
  ./mvnw -B -ntp -q -Dskip.web=true -DskipTests package
fi
log "compiling the load tool"
./mvnw -B -ntp -q -Dskip.web=true test-compile
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="target/test-classes:target/classes:$(cat "$work/cp.txt")"
if [ ! -f "$aot" ] || [ "$aot" -ot "$jar" ]; then
  log "training the AOT cache $aot"
  rm -f "$aot"
  tools/perf/train-aot.sh
fi
started=$(date +%s) # the budget counts from here: builds and training are not figures

# The load tool in its own JVM; reports go to the work dir and are copied to $out when done.
load() {
  java -Xmx3g -XX:+UseZGC -cp "$cp" app.confab.load.LoadTool --out "$work/load" "$@"
}

# Starts a fresh Confab out of the box on a free port; sets server_pid, url, db_url.
# $1: the AOT cache to use, or "none".
start_confab() {
  local cache=$1 port data opts=()
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  data=$(mktemp -d "$work/confab-data.XXXX")
  [ "$cache" != none ] && opts+=("-XX:AOTCache=$cache")
  env PORT="$port" DATA_DIR="$data" LOG_FORMAT=json \
    RATE_LIMIT_API_PER_MINUTE=1000000 RATE_LIMIT_MESSAGES_PER_SECOND=100000 CONFAB_REQUESTLIMITS_SCALE=100000 \
    java "${opts[@]}" -jar "$jar" > "$data/confab.log" 2>&1 &
  server_pid=$!
  url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    curl -fs "$url/health/ready" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { tail -50 "$data/confab.log" >&2; exit 1; }
    sleep 1
  done
  # The embedded database: users go in by SQL (cost-4 hash), not through 1,000 cost-12 registrations.
  db_url="postgresql://postgres:$(cat "$data/postgres-password")@127.0.0.1:$(sed -n 4p "$data/postgres/postmaster.pid")/postgres"
  echo "confab: pid $server_pid at $url (AOT cache: $cache)"
}

stop_confab() {
  kill -TERM "$server_pid"; wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# Runs one step; a missed threshold (exit 1) is a figure, not a failure of the script.
step() {
  local name=$1; shift
  log "$name"
  local rc
  set +e
  "$@" 2>&1 | tee "$work/$name.log"
  rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" -gt 1 ]; then
    cp "$work/$name.log" "$out/figures-$stamp-$name.log"
    echo "step $name FAILED (exit $rc); its output: $out/figures-$stamp-$name.log"
  fi
  grep -E '^report: ' "$work/$name.log" | tail -1 | sed 's/^report: //; s/, /\n/g' > "$work/$name.reports" || true
}

if [ "$quick" = 1 ]; then
  seed=(--users 20 --rate 20 --duration 3 --warmup 1 --drain 5)
  small_users=20; rates=(40 80); run=3; warm=1
  tp=(--users 20 --start-rate 50 --step 50 --max-rate 100 --step-duration 3 --drain 5)
  cold=(--users 20 --rate 40 --duration 5 --warmup 0 --drain 5)
  fan=(--group-size 20 --rate 20 --duration 3 --warmup 1 --drain 5)
  conns=(--connections 300 --batch 150 --hold 2 --users 20)
else
  seed=(--users 1000 --rate 50 --duration 60 --warmup 10)
  small_users=200; rates=(400 800 1200); run=30; warm=10
  tp=(--users 200 --start-rate "${FIGURES_TP_START:-250}" --step "${FIGURES_TP_STEP:-250}" \
      --max-rate "${FIGURES_TP_MAX:-2500}" --step-duration 20 --drain 10)
  cold=(--users 200 --rate 400 --duration 60 --warmup 0)
  fan=(--group-size 300 --rate 100 --duration 30 --warmup 10)
  conns=(--connections 4000 --batch 1000 --hold 5 --users 200)
fi

if want seed; then
  step compare-seed load --scenario compare --shape seed "${seed[@]}" --prefix fs
fi
if want rates; then
  for rate in "${rates[@]}"; do
    step "compare-$rate" load --scenario compare --shape seed --users "$small_users" --rate "$rate" \
      --duration "$run" --warmup "$warm" --prefix "f$rate"
  done
fi

if want throughput; then
  start_confab "$aot"
  step throughput load --scenario throughput --url "$url" --db-url "$db_url" --server-pid "$server_pid" \
    --p99-limit "${FIGURES_TP_LIMIT:-500}" --prefix ft "${tp[@]}"
  stop_confab
fi

if want cold; then
  step cold-aot load --scenario compare --shape seed --confab-aot "$aot" --prefix fc "${cold[@]}"
  start_confab none
  step cold-no-aot load --scenario seed --url "$url" --db-url "$db_url" --server-pid "$server_pid" \
    --group-size 10 --prefix fn "${cold[@]}"
  stop_confab
fi

if want fanout; then
  step compare-fanout load --scenario compare --shape fanout --prefix ff "${fan[@]}"
fi

if want memory; then
  start_confab "$aot"
  step connections load --scenario connections --url "$url" --db-url "$db_url" --server-pid "$server_pid" \
    --histogram --prefix fm "${conns[@]}"
  stop_confab
fi

elapsed=$(( $(date +%s) - started ))
shopt -s nullglob
for file in "$work"/load/*.json "$work"/load/*.md "$work"/load/*.html; do
  cp "$file" "$out/"
done

python3 - "$work" "$out" "$stamp" "$elapsed" "$quick" <<'PY'
import glob, json, os, sys
work, out, stamp, elapsed, quick = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1"

def reports(step):
    path = os.path.join(work, step + ".reports")
    if not os.path.exists(path):
        return []
    return [line.strip() for line in open(path) if line.strip()]

def load(step, suffix=".json"):
    for path in reports(step):
        if path.endswith(suffix) and os.path.exists(path):
            return json.load(open(path)), path
    return None, None

def main_latency(report):
    lat = report.get("latency") or {}
    for name, value in lat.items():
        if name.startswith("end-to-end"):
            return value
    return next(iter(lat.values()), None)

def cell(report):
    if not report:
        return "—"
    s = report.get("summary", {})
    exp, got = s.get("Deliveries expected"), s.get("Deliveries received")
    pct = "?" if not exp else "%.2f%%" % (100.0 * got / exp)
    l = main_latency(report)
    lat = "no deliveries" if not l or not l.get("count") else \
        "p50 %.1f ms, p95 %.1f, **p99 %.1f**, max %.0f" % (l["p50"], l["p95"], l["p99"], l["max"])
    busy = (report.get("cpu") or {}).get("machineBusyPercent")
    return "%s, %s%s" % (pct, lat, "" if busy is None else ", busy %.0f%%" % busy)

def link(path):
    # The summary is written next to the reports, so a link is the report's own name.
    return "[%s](%s)" % ("report", os.path.basename(path)) if path else ""

rows = []
def ran(step):
    return os.path.exists(os.path.join(work, step + ".log"))

def compare_row(label, step):
    if not ran(step):
        return
    data, path = load(step)
    if data is None:
        rows.append("| %s | failed (see figures-%s-%s.log) | |" % (label, stamp, step)); return
    md = path[:-5] + ".md"
    rows.append("| %s %s | %s | %s |" % (label, link(md), cell(data.get("confab")), cell(data.get("ejabberd"))))

lines = ["# Issue 17 figures, %s%s" % (stamp, " (QUICK smoke run: not figures)" if quick else ""), "",
         "`tools/perf/figures.sh` on %s cores (%s); load average at the end %s; %d s of runs." % (
             os.cpu_count(), open("/proc/cpuinfo").read().split("model name")[1].split(":")[1].split("\n")[0].strip()
             if "model name" in open("/proc/cpuinfo").read() else "?", open("/proc/loadavg").read().split()[0], elapsed), "",
]
table_header = ["| load (out of the box, fresh servers) | Confab | ejabberd |", "|---|---|---|"]
compare_row("seed", "compare-seed")
for step in sorted((os.path.basename(p)[:-8] for p in glob.glob(os.path.join(work, "compare-[0-9]*.reports"))),
                   key=lambda s: int(s.split("-")[1])):
    data, _ = load(step)
    users = ((data or {}).get("confab") or {}).get("summary", {}).get("Users", "?")
    compare_row("%s users, %s msg/s" % (users, step.split("-")[1]), step)
compare_row("cold: no warm-up, Confab with AOT cache", "cold-aot")
data, path = load("cold-no-aot")
if ran("cold-no-aot"):
    rows.append("| cold: no warm-up, Confab without AOT cache %s | %s | (as above) |" % (link(path and path[:-5] + ".html"), cell(data)))
compare_row("fanout: one group", "compare-fanout")
if rows:
    lines += table_header + rows

data, path = load("throughput")
if ran("throughput"):
    lines += ["", "Confab throughput steps (the knee is the last step with p99 < 50 ms) %s:" % link(path and path[:-5] + ".html"), ""]
    if data:
        lines += ["| target msg/s | stored msg/s | lost | p50 ms | p99 ms | machine busy % | held |", "|---|---|---|---|---|---|---|"]
        for row in data.get("steps", []):
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (row.get("target msg/s"), row.get("stored msg/s"), row.get("lost"),
                         row.get("p50 ms"), row.get("p99 ms"), row.get("machine busy %"), row.get("held")))
        s = data.get("summary", {})
        lines += ["", "Knee: %s" % s.get("Highest sustained rate with p99 < 50 ms")]
    else:
        lines.append("failed (see the log)")

data, path = load("connections")
if ran("connections"):
    lines += ["", "Memory per idle connection %s:" % link(path and path[:-5] + ".html"), ""]
    if data:
        for key, value in data.get("summary", {}).items():
            if any(word in key for word in ("onnection", "eap", "RSS")):
                lines.append("- %s: %s" % (key, value))
    else:
        lines.append("failed (see the log)")

text = "\n".join(lines) + "\n"
open(os.path.join(out, "figures-%s.md" % stamp), "w").write(text)
print("\n" + text)
PY
log "done in ${elapsed}s of runs; reports in $out (figures-$stamp.md)"
