// Outside Next, `server-only` (the guard that keeps database modules out of browser bundles) resolves
// to its server build, as it does inside Next's server: the CLI and worker are servers too.
export async function resolve(specifier, context, next) {
  if (specifier !== 'server-only') return next(specifier, context);
  return next(specifier, { ...context, conditions: [...context.conditions, 'react-server'] });
}
