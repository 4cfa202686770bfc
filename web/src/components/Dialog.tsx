import { useEffect, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';

const openDialogs: React.RefObject<HTMLDivElement | null>[] = [];

/** A modal dialog: focus moves in, Tab stays inside, Escape or the backdrop closes it. */
export function Dialog({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const panel = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const first = panel.current?.querySelector<HTMLElement>('input, textarea, select, button:not([data-close])');
    (first ?? panel.current)?.focus();
    openDialogs.push(panel);
    // Escape closes the topmost dialog wherever focus is: a button disabled while busy (a failed
    // "Send Request") drops focus to the page body, where the dialog's own keydown never fires.
    const onDocumentKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || openDialogs[openDialogs.length - 1] !== panel) return;
      if (panel.current?.contains(document.activeElement)) return; // handled below
      e.preventDefault();
      closeRef.current();
    };
    // Focus that falls out of the dialog (to the body) comes back to it.
    const onFocusOut = () => setTimeout(() => {
      const active = document.activeElement;
      if (openDialogs[openDialogs.length - 1] === panel && panel.current && (!active || active === document.body)) panel.current.focus();
    }, 0);
    document.addEventListener('keydown', onDocumentKey);
    const el = panel.current;
    el?.addEventListener('focusout', onFocusOut);
    return () => {
      document.removeEventListener('keydown', onDocumentKey);
      el?.removeEventListener('focusout', onFocusOut);
      openDialogs.splice(openDialogs.indexOf(panel), 1);
      previous?.focus?.();
    };
  }, []);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onClose();
    }
    if (e.key === 'Tab' && panel.current) {
      const focusable = [...panel.current.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input, textarea, select, [tabindex]:not([tabindex="-1"])')];
      if (focusable.length === 0) return;
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };
  return (
    <div className="fixed inset-0 z-50 flex items-end justify-center bg-slate-900/40 p-0 backdrop-blur-[1px] sm:items-center sm:p-4" onMouseDown={(e) => e.target === e.currentTarget && onClose()} onKeyDown={onKeyDown}>
      <div ref={panel} role="dialog" aria-modal="true" aria-label={title} tabIndex={-1}
        className={`flex max-h-[90vh] w-full flex-col rounded-t-2xl bg-white shadow-2xl ring-1 ring-slate-900/5 sm:rounded-2xl dark:bg-slate-900 dark:ring-white/10 ${wide ? 'sm:max-w-xl' : 'sm:max-w-md'}`}>
        <div className="flex items-center justify-between border-b border-slate-100 px-5 py-3.5 dark:border-slate-800">
          <h2 className="text-base font-semibold">{title}</h2>
          <button data-close type="button" onClick={onClose} className="rounded-lg p-1.5 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800" aria-label="Close">
            <Icon name="x" />
          </button>
        </div>
        <div className="scroll-thin overflow-y-auto p-5">{children}</div>
      </div>
    </div>
  );
}
