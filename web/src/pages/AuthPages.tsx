import { useState, type FormEvent, type ReactNode } from 'react';
import { RegistrationNotice, SingleSignOn, useAuthConfig } from './admin/registration';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../lib/http';
import { PASSWORD_RULES, USERNAME_RULE, passwordOk, safeNext } from '../lib/password';
import { useAuth } from '../stores/auth';
import { Icon } from '../components/Icon';

function Shell({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <main className="flex min-h-full items-center justify-center bg-gradient-to-br from-accent-50 via-white to-sky-50 px-4 py-10 dark:from-slate-950 dark:via-slate-950 dark:to-indigo-950">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <div className="mb-3 flex h-14 w-14 items-center justify-center rounded-2xl bg-accent-600 text-white shadow-lg shadow-accent-600/30">
            <Icon name="chat" className="h-8 w-8" />
          </div>
          <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">{subtitle}</p>
        </div>
        <div className="rounded-2xl bg-white p-6 shadow-xl shadow-slate-900/5 ring-1 ring-slate-900/5 dark:bg-slate-900 dark:ring-white/10">{children}</div>
      </div>
    </main>
  );
}

const input = 'mt-1 block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-2.5 text-sm shadow-sm outline-none focus-visible:outline-none transition focus:border-accent-500 focus:ring-4 focus:ring-accent-500/15 dark:border-slate-700 dark:bg-slate-950';
const primary = 'inline-flex w-full items-center justify-center rounded-xl bg-accent-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm transition hover:bg-accent-700 disabled:cursor-not-allowed disabled:opacity-60';

function errorText(e: unknown): { message: string; fields: Record<string, string> } {
  if (e instanceof ApiError) {
    const fields: Record<string, string> = {};
    for (const d of e.details) if (d.field) fields[d.field] = fields[d.field] ? `${fields[d.field]}; ${d.message}` : d.message;
    if (e.status === 0) return { message: 'Cannot reach the server. Check your connection.', fields };
    if (e.status === 429) return { message: e.retryAfter ? `Too many attempts. Try again in ${Math.ceil(e.retryAfter / 60)} min.` : e.message, fields };
    return { message: Object.keys(fields).length ? 'Please fix the highlighted fields.' : e.message, fields };
  }
  return { message: (e as Error)?.message ?? 'Something went wrong', fields: {} };
}

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const login = useAuth((s) => s.login);
  const config = useAuthConfig();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(errorText(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Shell title="Welcome back" subtitle="Sign in to Confab">
      <nav className="mb-5 grid grid-cols-2 rounded-xl bg-slate-100 p-1 text-sm font-medium dark:bg-slate-800" aria-label="Account">
        <span className="rounded-lg bg-white py-1.5 text-center shadow-sm dark:bg-slate-950">Sign in</span>
        <Link to={`/register${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`} className="rounded-lg py-1.5 text-center text-slate-600 hover:text-slate-900 dark:text-slate-300">Register</Link>
      </nav>
      <SingleSignOn config={config} next={next} error={params.get('sso_error')} />
      {params.get('next') && <p className="mb-4 rounded-lg bg-accent-50 px-3 py-2 text-xs text-accent-700 dark:bg-accent-600/15 dark:text-accent-200">Sign in to open the link you followed.</p>}
      {config?.passwordLogin !== false && <form onSubmit={submit} className="space-y-4" noValidate>
        <label className="block text-sm font-medium">
          Username
          <input name="username" autoComplete="username" autoFocus required value={username} onChange={(e) => setUsername(e.target.value)} className={input} />
        </label>
        <label className="block text-sm font-medium">
          Password
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} className={input} />
        </label>
        {error && <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 dark:bg-rose-950 dark:text-rose-200">{error}</p>}
        <button type="submit" className={primary} disabled={busy || !username || !password}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>}
    </Shell>
  );
}

export function RegisterPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const register = useAuth((s) => s.register);
  const invite = params.get('invite') ?? undefined;
  const config = useAuthConfig(invite);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [passwordConfirm, setPasswordConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const usernameOk = USERNAME_RULE.test(username);
  const matches = password.length > 0 && password === passwordConfirm;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      await register(username.trim(), password, passwordConfirm, invite);
      navigate(next, { replace: true });
    } catch (err) {
      const t = errorText(err);
      setError(t.message);
      setFields(t.fields);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Shell title="Create your account" subtitle="Join your team on Confab">
      <nav className="mb-5 grid grid-cols-2 rounded-xl bg-slate-100 p-1 text-sm font-medium dark:bg-slate-800" aria-label="Account">
        <Link to={`/login${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`} className="rounded-lg py-1.5 text-center text-slate-600 hover:text-slate-900 dark:text-slate-300">Sign in</Link>
        <span className="rounded-lg bg-white py-1.5 text-center shadow-sm dark:bg-slate-950">New account</span>
      </nav>
      <RegistrationNotice config={config} invite={invite} />
      <form onSubmit={submit} className="space-y-4" noValidate>
        <label className="block text-sm font-medium">
          Username
          <input name="username" autoComplete="username" autoFocus required value={username} onChange={(e) => setUsername(e.target.value)} className={input} aria-invalid={!!fields.username} aria-describedby="username-help" />
          <span id="username-help" className={`mt-1 block text-xs ${username && !usernameOk ? 'text-rose-600' : 'text-slate-500 dark:text-slate-400'}`}>
            {fields.username ?? '3–50 letters, digits or _'}
          </span>
        </label>
        <label className="block text-sm font-medium">
          Password
          <input name="password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} className={input} aria-invalid={!!fields.password} aria-describedby="password-rules" />
        </label>
        <ul id="password-rules" className="grid grid-cols-1 gap-1 text-xs sm:grid-cols-2" aria-label="Password rules">
          {PASSWORD_RULES.map((rule) => {
            const ok = rule.test(password);
            return (
              <li key={rule.label} className={`flex items-center gap-1.5 ${ok ? 'text-emerald-600 dark:text-emerald-400' : 'text-slate-500 dark:text-slate-400'}`} data-ok={ok}>
                <span className={`inline-flex h-4 w-4 items-center justify-center rounded-full ${ok ? 'bg-emerald-100 dark:bg-emerald-900' : 'bg-slate-100 dark:bg-slate-800'}`}>
                  {ok ? <Icon name="check" className="h-3 w-3" strokeWidth={3} /> : <span className="h-1 w-1 rounded-full bg-current" />}
                </span>
                {rule.label}
              </li>
            );
          })}
        </ul>
        {fields.password && <p className="text-xs text-rose-600">{fields.password}</p>}
        <label className="block text-sm font-medium">
          Confirm password
          <input name="passwordConfirm" type="password" autoComplete="new-password" required value={passwordConfirm} onChange={(e) => setPasswordConfirm(e.target.value)} className={input} aria-invalid={!!fields.passwordConfirm} />
          {passwordConfirm && !matches && <span className="mt-1 block text-xs text-rose-600">Passwords do not match</span>}
          {fields.passwordConfirm && <span className="mt-1 block text-xs text-rose-600">{fields.passwordConfirm}</span>}
        </label>
        {error && <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-700 dark:bg-rose-950 dark:text-rose-200">{error}</p>}
        <button type="submit" className={primary} disabled={busy || !usernameOk || !passwordOk(password) || !matches}>{busy ? 'Creating account…' : 'Register'}</button>
      </form>
    </Shell>
  );
}
