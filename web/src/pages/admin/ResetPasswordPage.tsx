// /reset/:token — sets a password through a one-time link (an admin's reset, or a new account's first password).
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../lib/http';
import { PASSWORD_RULES, passwordOk } from '../../lib/password';
import { describeLink, useLink } from './adminApi';

const input = 'mt-1 block w-full rounded-xl border border-slate-300 bg-white px-3.5 py-2.5 text-sm dark:border-slate-700 dark:bg-slate-950';

export default function ResetPasswordPage() {
  const { token = '' } = useParams();
  const [info, setInfo] = useState<{ username: string; purpose: string } | null>(null);
  const [invalid, setInvalid] = useState(false);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    describeLink(token).then(setInfo).catch(() => setInvalid(true));
  }, [token]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await useLink(token, password, confirm);
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiError ? (err.details[0]?.message ?? err.message) : 'Something went wrong');
    }
  };
  return (
    <main className="flex min-h-full items-center justify-center bg-slate-50 px-4 py-10 dark:bg-slate-950">
      <div className="w-full max-w-sm rounded-2xl bg-white p-6 shadow-xl ring-1 ring-slate-900/5 dark:bg-slate-900">
        <h1 className="mb-4 text-xl font-bold">{info?.purpose === 'set' ? 'Choose your password' : 'Reset your password'}</h1>
        {invalid && <p role="alert" className="text-sm text-rose-700">This link is not valid or has expired. Ask an administrator for a new one.</p>}
        {done && <p role="status" className="text-sm">Password set. <Link to="/login" className="font-semibold text-accent-700 hover:underline">Sign in</Link></p>}
        {info && !done && (
          <form onSubmit={submit} className="space-y-4" noValidate>
            <p className="text-sm text-slate-600 dark:text-slate-300">Account <strong>@{info.username}</strong>. Setting a password signs out every device.</p>
            <label className="block text-sm font-medium">New password
              <input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} className={input} />
            </label>
            <ul className="text-xs text-slate-500">{PASSWORD_RULES.map((r) => <li key={r.label} data-ok={r.test(password)}>{r.test(password) ? '✓' : '•'} {r.label}</li>)}</ul>
            <label className="block text-sm font-medium">Confirm password
              <input name="passwordConfirm" type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} className={input} />
            </label>
            {error && <p role="alert" className="text-sm text-rose-700">{error}</p>}
            <button type="submit" disabled={!passwordOk(password) || password !== confirm} className="w-full rounded-xl bg-accent-600 px-4 py-2.5 text-sm font-semibold text-white disabled:opacity-60">Set password</button>
          </form>
        )}
      </div>
    </main>
  );
}
