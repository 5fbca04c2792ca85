/**
 * Whose a panel's contents are: the module and the version serving it, beside the panel's title
 * (Call, State), so what a panel shows is never mistaken for another module's.
 */
import type { ModuleInfo } from '../../store';

export function ModuleContext({ module }: { module: Pick<ModuleInfo, 'name' | 'version'> }) {
  return (
    <span className="muted panel-context">
      {module.name}
      {module.version ? ` ${module.version}` : ''}
    </span>
  );
}
