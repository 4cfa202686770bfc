import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useAuth } from './stores/auth';
import { LoginPage, RegisterPage } from './pages/AuthPages';
import { Shell } from './pages/Shell';
import { ChatRoute } from './pages/ChatView';
import { EmptyState, NotFoundPage } from './pages/NotAvailable';
import { Toasts } from './components/Toasts';

const SearchPage = lazy(() => import('./pages/SearchPage'));
const AdminPage = lazy(() => import('./pages/admin/AdminPage'));
const ResetPasswordPage = lazy(() => import('./pages/admin/ResetPasswordPage'));
const OidcCompletePage = lazy(() => import('./pages/admin/OidcCompletePage'));

function RequireAuth({ children }: { children: React.ReactNode }) {
  const user = useAuth((s) => s.user);
  const location = useLocation();
  if (!user) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' || next === '/chats' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

function PublicOnly({ children }: { children: React.ReactNode }) {
  const user = useAuth((s) => s.user);
  const location = useLocation();
  if (user) {
    const next = new URLSearchParams(location.search).get('next');
    return <Navigate to={next && next.startsWith('/') && !next.startsWith('//') ? next : '/chats'} replace />;
  }
  return <>{children}</>;
}

/** Lets non-React code (a notification click) navigate. */
function NavigationBridge() {
  const navigate = useNavigate();
  useEffect(() => {
    const go = (e: Event) => navigate((e as CustomEvent<string>).detail);
    window.addEventListener('confab:navigate', go);
    return () => window.removeEventListener('confab:navigate', go);
  }, [navigate]);
  return null;
}

export function App() {
  return (
    <BrowserRouter>
      <NavigationBridge />
      <Routes>
        <Route path="/login" element={<PublicOnly><LoginPage /></PublicOnly>} />
        <Route path="/register" element={<PublicOnly><RegisterPage /></PublicOnly>} />
        <Route path="/oidc/complete" element={<Suspense fallback={null}><OidcCompletePage /></Suspense>} />
        <Route path="/reset/:token" element={<Suspense fallback={null}><ResetPasswordPage /></Suspense>} />
        <Route path="/admin" element={<RequireAuth><Suspense fallback={null}><AdminPage /></Suspense></RequireAuth>} />
        <Route path="/" element={<Navigate to="/chats" replace />} />
        <Route element={<RequireAuth><Shell /></RequireAuth>}>
          <Route path="/chats" element={<EmptyState />} />
          <Route path="/chats/:ref" element={<ChatRoute />} />
          <Route path="/chats/:ref/messages/:messageId" element={<ChatRoute />} />
          <Route path="/search" element={<Suspense fallback={null}><SearchPage /></Suspense>} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
      <Toasts />
    </BrowserRouter>
  );
}
