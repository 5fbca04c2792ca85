import type { ReactNode } from 'react';

/** Text for screen readers only (`id`: for aria-describedby). */
export function VisuallyHidden({ children, id }: { children: ReactNode; id?: string }) {
  return (
    <span className="visually-hidden" id={id}>
      {children}
    </span>
  );
}
