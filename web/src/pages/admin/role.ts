// Whether the signed-in user is a server administrator. A session stored before roles existed (or
// set up without the role) learns it from GET /api/users/me once.
import { useEffect } from 'react';
import { fetchMe } from '../../lib/chatApi';
import { useAuth } from '../../stores/auth';

export function useIsAdmin(): boolean | null {
  const user = useAuth((s) => s.user);
  const setUser = useAuth((s) => s.setUser);
  const known = user?.serverRole;
  useEffect(() => {
    if (!user || known) return;
    let live = true;
    fetchMe()
      .then((me) => { if (live && me.serverRole) setUser({ ...user, ...me }); })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [user, known, setUser]);
  return known ? known === 'admin' : null;
}
