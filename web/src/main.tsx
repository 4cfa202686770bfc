import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { applyTheme, useUi } from './stores/ui';
import './index.css';

applyTheme(useUi.getState().theme);
window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', () => applyTheme(useUi.getState().theme));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
