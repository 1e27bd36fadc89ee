/**
 * Per-panel error boundary: a render error in one panel shows its message in place (with a retry)
 * instead of unmounting the whole app into a blank screen.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  label: string;
  children: ReactNode;
}
interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`[${this.props.label}]`, error, info.componentStack);
  }

  render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <div className="panel" data-testid="panel-error">
        <div className="panel-body">
          <div className="alert err">
            <div className="alert-title">{this.props.label} failed to render</div>
            {this.state.error.message}
          </div>
          <button className="btn" onClick={() => this.setState({ error: null })}>
            Retry
          </button>
        </div>
      </div>
    );
  }
}
