import { Link } from 'react-router';
import { Icon } from '../components/Icon';

export function NotAvailable({ what = 'chat' }: { what?: 'chat' | 'message' }) {
  return (
    <div className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center" data-testid="not-available">
      <div className="flex h-14 w-14 items-center justify-center rounded-2xl bg-slate-100 text-slate-500 dark:bg-slate-800">
        <Icon name="warning" className="h-7 w-7" />
      </div>
      <h2 className="text-lg font-semibold">This {what} is not available</h2>
      <p className="max-w-sm text-sm text-slate-500 dark:text-slate-400">
        It may have been deleted, or you are not a member of the chat it belongs to. Ask someone in the chat to add you.
      </p>
      <Link to="/chats" className="mt-2 rounded-xl bg-accent-600 px-4 py-2 text-sm font-semibold text-white hover:bg-accent-700">Back to chats</Link>
    </div>
  );
}

export function EmptyState() {
  return (
    <div className="hidden h-full flex-col items-center justify-center gap-3 p-8 text-center md:flex">
      <div className="flex h-16 w-16 items-center justify-center rounded-3xl bg-accent-50 text-accent-600 dark:bg-accent-600/15 dark:text-accent-200">
        <Icon name="chat" className="h-9 w-9" />
      </div>
      <h2 className="text-lg font-semibold">Pick a chat to start talking</h2>
      <p className="max-w-sm text-sm text-slate-500 dark:text-slate-400">
        Choose a conversation on the left, add a contact, or start a group. Press <kbd className="rounded border border-slate-300 px-1 text-xs dark:border-slate-700">Ctrl</kbd>+<kbd className="rounded border border-slate-300 px-1 text-xs dark:border-slate-700">K</kbd> to search messages.
      </p>
    </div>
  );
}

export function NotFoundPage() {
  return (
    <div className="flex h-full flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <Link to="/chats" className="text-accent-600 underline">Go to your chats</Link>
    </div>
  );
}
