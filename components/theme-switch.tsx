'use client';

import { useTheme } from 'next-themes';
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/** System, light or dark; the choice is kept in this browser. */
export function ThemeSwitch() {
  const { theme, setTheme } = useTheme();
  // The stored choice is only known in the browser: the server renders the default.
  const mounted = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return (
    <label className="theme-switch">
      Theme
      <select value={mounted ? (theme ?? 'system') : 'system'} onChange={(event) => setTheme(event.target.value)}>
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
