// The admin console (/admin): users, registration and invites, retention, audit log, stats, exports.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, Navigate } from 'react-router';
import { useAuth } from '../../stores/auth';
import { ApiError } from '../../lib/http';
import * as admin from './adminApi';
import { useIsAdmin } from './role';

type Tab = 'users' | 'registration' | 'retention' | 'audit' | 'stats' | 'exports';
const TABS: { id: Tab; label: string }[] = [
  { id: 'users', label: 'Users' },
  { id: 'registration', label: 'Registration' },
  { id: 'retention', label: 'Retention' },
  { id: 'audit', label: 'Audit log' },
  { id: 'stats', label: 'Stats' },
  { id: 'exports', label: 'Exports' },
];

const button = 'rounded-lg border border-slate-300 px-2.5 py-1 text-xs font-medium hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:hover:bg-slate-800';
const primary = 'rounded-lg bg-accent-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-accent-700 disabled:opacity-50';
const input = 'rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-950';
const th = 'px-2 py-1.5 text-left text-xs font-semibold uppercase tracking-wide text-slate-500';
const td = 'px-2 py-1.5 text-sm';

function message(e: unknown) {
  return e instanceof ApiError ? e.message : (e as Error)?.message ?? 'Something went wrong';
}

function useAction() {
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(message(e));
    }
  }, []);
  return { error, run };
}

function ErrorLine({ error }: { error: string | null }) {
  return error ? <p role="alert" className="my-2 rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 dark:bg-rose-950 dark:text-rose-200">{error}</p> : null;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="mb-6 rounded-2xl bg-white p-4 shadow-sm ring-1 ring-slate-900/5 dark:bg-slate-900 dark:ring-white/10">
      <h2 className="mb-3 text-base font-semibold">{title}</h2>
      {children}
    </section>
  );
}

function CopyLink({ url, label }: { url: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="mt-2 flex items-center gap-2 rounded-lg bg-emerald-50 p-2 text-sm dark:bg-emerald-950">
      <span className="font-medium">{label}</span>
      <input readOnly value={url} data-testid="copy-link" className={`${input} flex-1 font-mono text-xs`} onFocus={(e) => e.target.select()} />
      <button type="button" className={button} onClick={async () => { await navigator.clipboard?.writeText(url).catch(() => undefined); setCopied(true); }}>{copied ? 'Copied' : 'Copy link'}</button>
    </div>
  );
}

function UsersTab() {
  const me = useAuth((s) => s.user);
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState<admin.Page<admin.AdminUser> | null>(null);
  const [link, setLink] = useState<{ url: string; label: string } | null>(null);
  const [newName, setNewName] = useState('');
  const [newDisplay, setNewDisplay] = useState('');
  const { error, run } = useAction();
  const load = useCallback(() => run(async () => setPage(await admin.listUsers({ q: query.trim(), status }))), [query, status, run]);
  useEffect(() => {
    const t = setTimeout(load, 200);
    return () => clearTimeout(t);
  }, [load]);
  const more = () => run(async () => {
    if (!page?.nextCursor) return;
    const next = await admin.listUsers({ q: query.trim(), status, cursor: page.nextCursor });
    setPage({ ...next, data: [...page.data, ...next.data] });
  });
  const create = (e: FormEvent) => {
    e.preventDefault();
    run(async () => {
      const made = await admin.createUser(newName.trim(), newDisplay.trim());
      setLink({ url: made.passwordSetLink.url, label: `Password link for ${made.user.username}` });
      setNewName('');
      setNewDisplay('');
      await load();
    });
  };
  return (
    <>
      <Section title="Users">
        <div className="mb-3 flex flex-wrap gap-2">
          <input aria-label="Search users" placeholder="Search users" value={query} onChange={(e) => setQuery(e.target.value)} className={`${input} flex-1`} />
          <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)} className={input}>
            <option value="">All</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </div>
        <ErrorLine error={error} />
        {link && <CopyLink url={link.url} label={link.label} />}
        <div className="overflow-x-auto">
          <table className="mt-2 w-full">
            <thead><tr><th className={th}>User</th><th className={th}>Role</th><th className={th}>Status</th><th className={th}>Created</th><th className={th}>Last seen</th><th className={th}>Messages</th><th className={th}>Storage</th><th className={th}>Actions</th></tr></thead>
            <tbody>
              {page?.data.map((u) => (
                <tr key={u.id} data-username={u.username} className="border-t border-slate-100 dark:border-slate-800">
                  <td className={td}><span className="font-medium">{u.displayName}</span> <span className="text-slate-500">@{u.username}</span></td>
                  <td className={td}>{u.role}</td>
                  <td className={td} data-testid="user-status">{u.status}</td>
                  <td className={td}>{new Date(u.createdAt).toLocaleDateString()}</td>
                  <td className={td}>{u.lastSeen ? new Date(u.lastSeen).toLocaleString() : '—'}</td>
                  <td className={td}>{u.messageCount}</td>
                  <td className={td}>{bytes(u.storageUsedBytes)}</td>
                  <td className={`${td} flex flex-wrap gap-1`}>
                    {u.status === 'active'
                      ? <button type="button" className={button} disabled={u.id === me?.id} onClick={() => run(async () => { await admin.deactivate(u.id); await load(); })}>Deactivate</button>
                      : <button type="button" className={button} onClick={() => run(async () => { await admin.reactivate(u.id); await load(); })}>Reactivate</button>}
                    <button type="button" className={button} onClick={() => run(async () => { const l = await admin.resetLink(u.id); setLink({ url: l.url, label: `Reset link for ${u.username}` }); })}>Reset link</button>
                    <button type="button" className={button} onClick={() => run(async () => { await admin.setRole(u.id, u.role === 'admin' ? 'member' : 'admin'); await load(); })}>{u.role === 'admin' ? 'Make member' : 'Make admin'}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {page?.hasMore && <button type="button" className={`${button} mt-2`} onClick={more}>Load more</button>}
      </Section>
      <Section title="Add an account">
        <form onSubmit={create} className="flex flex-wrap gap-2">
          <input aria-label="New username" placeholder="username" value={newName} onChange={(e) => setNewName(e.target.value)} className={input} />
          <input aria-label="New display name" placeholder="Display name (optional)" value={newDisplay} onChange={(e) => setNewDisplay(e.target.value)} className={input} />
          <button type="submit" className={primary} disabled={!newName.trim()}>Create with password link</button>
        </form>
      </Section>
    </>
  );
}

function RegistrationTab() {
  const [settings, setSettings] = useState<admin.Settings | null>(null);
  const [pattern, setPattern] = useState('');
  const [invites, setInvites] = useState<admin.Invite[]>([]);
  const [hours, setHours] = useState(168);
  const [uses, setUses] = useState('1');
  const [created, setCreated] = useState<admin.Invite | null>(null);
  const { error, run } = useAction();
  const load = useCallback(() => run(async () => {
    const s = await admin.getSettings();
    setSettings(s);
    setPattern(s.allowedUsernamePattern ?? '');
    setInvites((await admin.listInvites()).data);
  }), [run]);
  useEffect(() => { load(); }, [load]);
  const setMode = (registration: admin.Settings['registration']) => {
    const before = settings;
    if (settings) setSettings({ ...settings, registration }); // shown at once; put back if refused
    run(async () => {
      try {
        setSettings(await admin.putSettings({ registration }));
      } catch (e) {
        setSettings(before);
        throw e;
      }
    });
  };
  return (
    <>
      <Section title="Registration policy">
        <ErrorLine error={error} />
        <fieldset className="flex flex-wrap gap-4 text-sm" aria-label="Registration policy">
          {(['open', 'invite', 'closed'] as const).map((mode) => (
            <label key={mode} className="flex items-center gap-1.5">
              <input type="radio" name="registration" value={mode} disabled={!settings} checked={settings?.registration === mode} onChange={() => setMode(mode)} />
              {mode === 'open' ? 'Open: anyone can register' : mode === 'invite' ? 'Invite only' : 'Closed'}
            </label>
          ))}
        </fieldset>
        <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
          <label htmlFor="username-pattern">Allowed usernames (regular expression)</label>
          <input id="username-pattern" value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder="any" className={`${input} font-mono`} />
          <button type="button" className={button} onClick={() => run(async () => setSettings(await admin.putSettings({ allowedUsernamePattern: pattern.trim() || null })))}>Save</button>
        </div>
      </Section>
      <Section title="Invites">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          <label>Valid for <input type="number" min={1} value={hours} onChange={(e) => setHours(Number(e.target.value))} className={`${input} w-20`} aria-label="Hours valid" /> hours,</label>
          <label>uses <input type="number" min={1} value={uses} onChange={(e) => setUses(e.target.value)} className={`${input} w-20`} aria-label="Maximum uses" placeholder="∞" /></label>
          <button type="button" className={primary} onClick={() => run(async () => { setCreated(await admin.createInvite(hours, uses ? Number(uses) : null)); setInvites((await admin.listInvites()).data); })}>Create invite</button>
        </div>
        {created?.url && <CopyLink url={created.url} label="Invite link" />}
        <table className="mt-3 w-full">
          <thead><tr><th className={th}>Created</th><th className={th}>Expires</th><th className={th}>Uses</th><th className={th}>Status</th><th className={th} /></tr></thead>
          <tbody>
            {invites.map((i) => (
              <tr key={i.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className={td}>{new Date(i.createdAt).toLocaleString()}</td>
                <td className={td}>{new Date(i.expiresAt).toLocaleString()}</td>
                <td className={td}>{i.uses}{i.maxUses ? ` / ${i.maxUses}` : ''}</td>
                <td className={td}>{i.status}</td>
                <td className={td}>{i.status === 'active' && <button type="button" className={button} onClick={() => run(async () => { await admin.revokeInvite(i.id); setInvites((await admin.listInvites()).data); })}>Revoke</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}

function RetentionTab() {
  const [settings, setSettings] = useState<admin.Settings | null>(null);
  const [days, setDays] = useState('');
  const [upload, setUpload] = useState('');
  const { error, run } = useAction();
  useEffect(() => { run(async () => { const s = await admin.getSettings(); setSettings(s); setDays(s.messageRetentionDays?.toString() ?? ''); setUpload(String(s.maxUploadMb)); }); }, [run]);
  const last = settings?.lastRetentionRun;
  return (
    <Section title="Retention and limits">
      <ErrorLine error={error} />
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <label>Delete messages older than <input type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} placeholder="keep forever" className={`${input} w-32`} aria-label="Retention days" /> days</label>
        <label>Largest upload <input type="number" min={1} max={10} value={upload} onChange={(e) => setUpload(e.target.value)} className={`${input} w-20`} aria-label="Max upload MB" /> MB</label>
        <button type="button" className={primary} onClick={() => run(async () => setSettings(await admin.putSettings({ messageRetentionDays: days ? Number(days) : null, maxUploadMb: Number(upload) })))}>Save</button>
        <button type="button" className={button} onClick={() => run(async () => { await admin.runRetention(); setSettings(await admin.getSettings()); })}>Run now</button>
      </div>
      <p className="mt-3 text-sm text-slate-600 dark:text-slate-300" data-testid="retention-last-run">
        {last ? `Last run ${new Date(last.finishedAt).toLocaleString()}: removed ${last.messagesDeleted} messages, ${last.filesDeleted} files, ${last.eventsDeleted} events, ${last.auditEntriesDeleted} audit entries.` : 'Retention has not run yet.'}
      </p>
    </Section>
  );
}

function AuditTab() {
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [page, setPage] = useState<admin.Page<admin.AuditEntry> | null>(null);
  const { error, run } = useAction();
  const load = useCallback(() => run(async () => setPage(await admin.listAudit({ actor: actor.trim(), action: action.trim() }))), [actor, action, run]);
  useEffect(() => { const t = setTimeout(load, 200); return () => clearTimeout(t); }, [load]);
  return (
    <Section title="Audit log">
      <div className="mb-3 flex flex-wrap gap-2">
        <input aria-label="Actor" placeholder="Actor (username or id)" value={actor} onChange={(e) => setActor(e.target.value)} className={input} />
        <select aria-label="Action" value={action} onChange={(e) => setAction(e.target.value)} className={input}>
          <option value="">Every action</option>
          {['login', 'login_failed', 'login_refused', 'register', 'user_deactivated', 'user_reactivated', 'role_changed', 'settings_changed', 'invite_created', 'invite_revoked', 'password_reset_issued', 'user_created', 'export_started', 'retention_run'].map((a) => <option key={a} value={a}>{a}</option>)}
        </select>
      </div>
      <ErrorLine error={error} />
      <table className="w-full">
        <thead><tr><th className={th}>When</th><th className={th}>Action</th><th className={th}>Actor</th><th className={th}>Target</th><th className={th}>Change</th></tr></thead>
        <tbody>
          {page?.data.map((e) => (
            <tr key={e.id} className="border-t border-slate-100 align-top dark:border-slate-800">
              <td className={td}>{new Date(e.at).toLocaleString()}</td>
              <td className={td}>{e.action}</td>
              <td className={td}>{e.actorName ?? e.actorId ?? '—'}</td>
              <td className={td}>{e.target ?? e.targetId ?? '—'}</td>
              <td className={`${td} font-mono text-xs`}>{e.before || e.after ? `${JSON.stringify(e.before)} → ${JSON.stringify(e.after)}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page?.hasMore && <button type="button" className={`${button} mt-2`} onClick={() => run(async () => { const next = await admin.listAudit({ actor: actor.trim(), action: action.trim(), cursor: page.nextCursor ?? undefined }); setPage({ ...next, data: [...page.data, ...next.data] }); })}>Load more</button>}
    </Section>
  );
}

function bytes(n: number) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function StatsTab() {
  const [stats, setStats] = useState<admin.Stats | null>(null);
  const { error, run } = useAction();
  useEffect(() => { run(async () => setStats(await admin.getStats())); }, [run]);
  const max = Math.max(1, ...(stats?.messagesPerDay.map((d) => d.messages) ?? [1]));
  return (
    <Section title="Stats">
      <ErrorLine error={error} />
      {stats && (
        <>
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            {[
              ['Users', stats.users.total], ['Active today', stats.users.active1d], ['Active 7 days', stats.users.active7d], ['Active 30 days', stats.users.active30d],
              ['Chats', stats.chats], ['Messages', stats.messages], ['Storage', bytes(stats.storageUsedBytes)], ['Database', bytes(stats.databaseSizeBytes)],
            ].map(([label, value]) => (
              <div key={label} className="rounded-xl bg-slate-50 p-3 dark:bg-slate-800"><dt className="text-xs text-slate-500">{label}</dt><dd className="text-lg font-semibold">{value}</dd></div>
            ))}
          </dl>
          <h3 className="mb-1 mt-4 text-sm font-medium">Messages per day (30 days)</h3>
          <svg role="img" aria-label="Messages per day" viewBox={`0 0 ${Math.max(1, stats.messagesPerDay.length) * 12} 60`} className="h-24 w-full" preserveAspectRatio="none">
            {stats.messagesPerDay.map((d, i) => {
              const h = (d.messages / max) * 56;
              return <rect key={d.day} x={i * 12 + 1} y={60 - h} width={10} height={h} className="fill-accent-500"><title>{`${d.day}: ${d.messages}`}</title></rect>;
            })}
          </svg>
        </>
      )}
    </Section>
  );
}

function ExportsTab() {
  const [jobs, setJobs] = useState<admin.ExportJob[]>([]);
  const { error, run } = useAction();
  const load = useCallback(() => run(async () => setJobs((await admin.listExports()).data)), [run]);
  useEffect(() => { load(); }, [load]);
  const busy = jobs.some((j) => j.status === 'queued' || j.status === 'running');
  useEffect(() => {
    if (!busy) return;
    const t = setInterval(load, 1000);
    return () => clearInterval(t);
  }, [busy, load]);
  return (
    <Section title="Exports">
      <ErrorLine error={error} />
      <button type="button" className={primary} disabled={busy} onClick={() => run(async () => { await admin.startExport(); await load(); })}>Export all chats</button>
      <ul className="mt-3 space-y-2">
        {jobs.map((j) => (
          <li key={j.id} className="flex items-center gap-3 text-sm">
            <span className="w-40">{new Date(j.createdAt).toLocaleString()}</span>
            <progress max={100} value={j.progress} className="w-40" aria-label="Export progress" />
            <span>{j.status}{j.status === 'failed' && j.error ? `: ${j.error}` : ''}</span>
            {j.downloadUrl && <button type="button" className={button} onClick={() => run(() => admin.download(j.downloadUrl!, `confab-export-${j.id}.zip`))}>Download{j.sizeBytes ? ` (${bytes(j.sizeBytes)})` : ''}</button>}
          </li>
        ))}
      </ul>
    </Section>
  );
}

export default function AdminPage() {
  const isAdmin = useIsAdmin();
  const [tab, setTab] = useState<Tab>('users');
  if (isAdmin === null) return null;
  if (!isAdmin) return <Navigate to="/chats" replace />;
  return (
    <main className="min-h-full bg-slate-50 px-4 py-6 dark:bg-slate-950">
      <div className="mx-auto max-w-6xl">
        <header className="mb-4 flex items-center justify-between">
          <h1 className="text-xl font-bold">Administration</h1>
          <Link to="/chats" className="text-sm text-accent-700 hover:underline dark:text-accent-300">Back to chats</Link>
        </header>
        <nav className="mb-4 flex flex-wrap gap-1" role="tablist" aria-label="Administration">
          {TABS.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} onClick={() => setTab(t.id)}
              className={`rounded-lg px-3 py-1.5 text-sm font-medium ${tab === t.id ? 'bg-accent-600 text-white' : 'hover:bg-slate-200 dark:hover:bg-slate-800'}`}>{t.label}</button>
          ))}
        </nav>
        {tab === 'users' && <UsersTab />}
        {tab === 'registration' && <RegistrationTab />}
        {tab === 'retention' && <RetentionTab />}
        {tab === 'audit' && <AuditTab />}
        {tab === 'stats' && <StatsTab />}
        {tab === 'exports' && <ExportsTab />}
      </div>
    </main>
  );
}
