/**
 * One panel's render failing never takes the page down: the panel is replaced by a landmark of
 * the same name saying what failed, with a button to draw it again; the other panels, and the
 * engine, go on. (A refused restore once crashed the History panel's render and with it the
 * whole page.)
 */
import { Component, type ReactNode } from 'react';

interface Props {
  /** The panel's landmark name ("Deploy"), kept by the fallback. */
  name: string;
  children: ReactNode;
}

export class PanelBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: unknown) {
    console.error(`hotwasm: the ${this.props.name} panel failed to render`, error);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="panel" aria-label={this.props.name}>
        <div className="panel-header">
          <h2>{this.props.name}</h2>
        </div>
        <p role="alert">
          This panel failed to show: {error.message}. The module and the other panels are unaffected.
        </p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Show it again
        </button>
      </section>
    );
  }
}
