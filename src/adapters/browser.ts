import { execa } from 'execa';

/**
 * Opens a URL in the user's browser with the platform's opener: $BROWSER when set (as xdg-open
 * honours it), else xdg-open, open or `start`. Returns false when no browser can be expected to
 * appear (SSH session, no display) or the opener failed, so the caller prints the URL instead.
 */
export async function openUrl(url: string, env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  const browser = env['BROWSER'];
  let command: string;
  let args: string[];
  if (browser) {
    const [first = '', ...rest] = browser.trim().split(/\s+/);
    [command, args] = [first, [...rest, url]];
  } else if (platform === 'darwin') {
    if (env['SSH_CONNECTION'] || env['SSH_TTY']) return false;
    [command, args] = ['open', [url]];
  } else if (platform === 'win32') {
    // `start` is a cmd built-in; the empty title argument keeps a quoted URL from becoming the title.
    [command, args] = ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  } else {
    if (!env['DISPLAY'] && !env['WAYLAND_DISPLAY']) return false;
    if ((env['SSH_CONNECTION'] || env['SSH_TTY']) && !env['DISPLAY']) return false;
    [command, args] = ['xdg-open', [url]];
  }
  // A browser started directly (through $BROWSER) may run until the user closes it: wait only long
  // enough to see it fail to start, then let it go on without holding this process open.
  const child = execa(command, args, { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore', detached: true });
  const early = await Promise.race([
    child.then((result) => (result.failed || result.exitCode !== 0 ? 'failed' : 'done')),
    new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 1500).unref()),
  ]);
  if (early === 'running') child.unref();
  return early !== 'failed';
}
