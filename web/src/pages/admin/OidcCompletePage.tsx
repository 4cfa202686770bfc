// /oidc/complete#code=…&next=… — the end of single sign-on: trades the one-time code for tokens.
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../lib/http';
import { safeNext } from '../../lib/password';
import { useAuth } from '../../stores/auth';

export default function OidcCompletePage() {
  const navigate = useNavigate();
  const signIn = useAuth((s) => s.signIn);
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // the code works once
    started.current = true;
    const params = new URLSearchParams(window.location.hash.slice(1));
    const code = params.get('code');
    const next = safeNext(params.get('next'));
    window.history.replaceState(null, '', window.location.pathname);
    if (!code) {
      setError('The sign-in did not complete.');
      return;
    }
    api('/api/auth/oidc/exchange', { method: 'POST', body: { code }, auth: false })
      .then((body) => {
        signIn(body);
        navigate(next, { replace: true });
      })
      .catch((e) => setError((e as Error).message));
  }, [navigate, signIn]);
  return (
    <main className="flex min-h-full items-center justify-center p-6 text-sm">
      {error ? <p role="alert">{error} <Link to="/login" className="font-semibold text-accent-700 hover:underline">Back to sign-in</Link></p> : <p>Signing you in…</p>}
    </main>
  );
}
