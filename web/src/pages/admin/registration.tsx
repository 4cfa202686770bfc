// What the sign-up page tells a visitor about this server's registration policy.
import { useEffect, useState } from 'react';
import { api } from '../../lib/http';

export interface AuthConfig {
  registration: 'open' | 'invite' | 'closed';
  firstAccountIsAdmin: boolean;
  passwordLogin: boolean;
  inviteValid: boolean | null;
  identityProviders?: { name: string; loginUrl: string }[];
}

export function useAuthConfig(invite?: string): AuthConfig | null {
  const [config, setConfig] = useState<AuthConfig | null>(null);
  useEffect(() => {
    let live = true;
    api<AuthConfig>(`/api/auth/config${invite ? `?invite=${encodeURIComponent(invite)}` : ''}`, { auth: false })
      .then((c) => live && setConfig(c))
      .catch(() => live && setConfig(null));
    return () => {
      live = false;
    };
  }, [invite]);
  return config;
}

const note = 'mb-4 rounded-lg px-3 py-2 text-sm';

export function RegistrationNotice({ config, invite }: { config: AuthConfig | null; invite?: string }) {
  if (!config) return null;
  if (config.firstAccountIsAdmin) {
    return (
      <p data-testid="first-admin-notice" className={`${note} bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200`}>
        This server has no accounts yet: the account you create now becomes its <strong>administrator</strong>.
      </p>
    );
  }
  if (config.registration === 'closed') {
    return <p role="status" className={`${note} bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200`}>Registration is closed on this server. Ask an administrator for an account.</p>;
  }
  if (config.registration === 'invite' && !invite) {
    return <p role="status" className={`${note} bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200`}>This server is invitation only. Open the invite link you were sent.</p>;
  }
  if (invite && config.inviteValid === false) {
    return <p role="status" className={`${note} bg-rose-50 text-rose-700 dark:bg-rose-950 dark:text-rose-200`}>This invitation is not valid, used up or expired.</p>;
  }
  if (invite) {
    return <p role="status" className={`${note} bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200`}>You were invited: create your account below.</p>;
  }
  return null;
}

/** "Sign in with …" buttons for the configured identity providers, and single sign-on errors. */
export function SingleSignOn({ config, next, error }: { config: AuthConfig | null; next: string; error: string | null }) {
  const providers = config?.identityProviders ?? [];
  if (!providers.length && !error) return null;
  return (
    <div className="mb-5 space-y-2">
      {error && <p role="alert" className={`${note} bg-rose-50 text-rose-700 dark:bg-rose-950 dark:text-rose-200`}>Single sign-on failed: {error}</p>}
      {providers.map((p) => (
        <a key={p.loginUrl} href={`${p.loginUrl}?next=${encodeURIComponent(next)}`}
          className="inline-flex w-full items-center justify-center rounded-xl border border-slate-300 px-4 py-2.5 text-sm font-semibold hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800">
          Sign in with {p.name}
        </a>
      ))}
      {providers.length > 0 && config?.passwordLogin && <p className="text-center text-xs text-slate-500">or with your password</p>}
    </div>
  );
}
