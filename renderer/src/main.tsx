import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { getApi } from '../api';
import './styles/app.css';
import './styles/forms.css';

function start(): void {
  const root = createRoot(document.getElementById('root')!);
  try {
    getApi();
  } catch (e) {
    // No preload and no bridge: still render, with the reason shown where the data would be.
    console.error(e);
  }
  root.render(
    <ErrorBoundary label="Tritonscope">
      <App />
    </ErrorBoundary>,
  );
}

start();
