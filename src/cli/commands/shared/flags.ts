/** commander's accumulator for a repeatable flag (`-p a=1 -p b=2`, `--option k=v …`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
