// Calls of the admin console (/api/admin/**) and the public password-link endpoints.
import { accessToken, api, toError } from '../../lib/http';

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: 'admin' | 'member';
  status: 'active' | 'deactivated';
  createdAt: string;
  lastSeen: string | null;
  messageCount: number;
  storageUsedBytes: number;
}
export interface Page<T> { data: T[]; nextCursor: string | null; hasMore: boolean }
export interface Link { token: string; url: string; expiresAt: string }
export interface Settings {
  registration: 'open' | 'invite' | 'closed';
  allowedUsernamePattern: string | null;
  messageRetentionDays: number | null;
  maxUploadMb: number;
  defaultStorageQuotaMb: number | null;
  auditRetentionDays: number;
  lastRetentionRun: RetentionRun | null;
}
export interface RetentionRun {
  startedAt: string; finishedAt: string; retentionDays: number | null;
  messagesDeleted: number; filesDeleted: number; eventsDeleted: number; auditEntriesDeleted: number;
}
export interface Invite { id: string; token: string | null; url: string | null; createdAt: string; expiresAt: string; maxUses: number | null; uses: number; status: string }
export interface AuditEntry { id: number; at: string; action: string; actorId: string | null; actorName: string | null; targetId: string | null; target: string | null; address: string | null; before: unknown; after: unknown }
export interface Stats {
  users: { total: number; deactivated: number; admins: number; active1d: number; active7d: number; active30d: number };
  chats: number; messages: number; messagesPerDay: { day: string; messages: number }[];
  storageUsedBytes: number; databaseSizeBytes: number; lastRetentionRun: RetentionRun | null;
}
export interface ExportJob { id: string; status: 'queued' | 'running' | 'done' | 'failed'; progress: number; sizeBytes: number | null; createdAt: string; downloadUrl: string | null; error: string | null }

const q = (params: Record<string, string | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) s.set(k, v);
  const text = s.toString();
  return text ? `?${text}` : '';
};

export const listUsers = (p: { q?: string; status?: string; cursor?: string }) => api<Page<AdminUser>>(`/api/admin/users${q(p)}`);
export const deactivate = (id: string) => api(`/api/admin/users/${id}/deactivate`, { method: 'POST' });
export const reactivate = (id: string) => api(`/api/admin/users/${id}/reactivate`, { method: 'POST' });
export const resetLink = (id: string) => api<Link>(`/api/admin/users/${id}/password-reset`, { method: 'POST' });
export const setRole = (id: string, role: 'admin' | 'member') => api(`/api/admin/users/${id}/role`, { method: 'PUT', body: { role } });
export const createUser = (username: string, displayName: string) =>
  api<{ user: AdminUser; passwordSetLink: Link }>('/api/admin/users', { method: 'POST', body: { username, displayName: displayName || undefined } });
export const getSettings = () => api<Settings>('/api/admin/settings');
export const putSettings = (patch: Partial<Settings>) => api<Settings>('/api/admin/settings', { method: 'PUT', body: patch });
export const runRetention = () => api<RetentionRun>('/api/admin/retention/run', { method: 'POST' });
export const listInvites = () => api<{ data: Invite[] }>('/api/admin/invites');
export const createInvite = (expiresInHours: number, maxUses: number | null) =>
  api<Invite>('/api/admin/invites', { method: 'POST', body: { expiresInHours, maxUses } });
export const revokeInvite = (id: string) => api(`/api/admin/invites/${id}`, { method: 'DELETE' });
export const listAudit = (p: { actor?: string; action?: string; cursor?: string }) => api<Page<AuditEntry>>(`/api/admin/audit${q(p)}`);
export const getStats = () => api<Stats>('/api/admin/stats');
export const startExport = () => api<ExportJob>('/api/admin/exports', { method: 'POST' });
export const listExports = () => api<{ data: ExportJob[] }>('/api/admin/exports');
export const getExport = (id: string) => api<ExportJob>(`/api/admin/exports/${id}`);

/** Downloads with the bearer token (a plain link could not send it). */
export async function download(path: string, fileName: string) {
  const token = await accessToken();
  const response = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw await toError(response);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const describeLink = (token: string) =>
  api<{ username: string; purpose: 'reset' | 'set'; expiresAt: string }>(`/api/auth/password-reset/${encodeURIComponent(token)}`, { auth: false });
export const useLink = (token: string, password: string, passwordConfirm: string) =>
  api('/api/auth/password-reset', { method: 'POST', body: { token, password, passwordConfirm }, auth: false });
