import type { Command } from '@commander-js/extra-typings';
import { didYouMean, didYouMeanSuffix } from '../../core/did-you-mean.js';
import { UsageError } from '../../core/errors.js';
import type { CommandContext } from '../command.js';
import { completionScript, isShell, SHELLS } from '../completion/scripts.js';

export interface CompletionOptions {
  shell: string;
}

export function register(command: Command, context: CommandContext): void {
  command
    .argument('<shell>', SHELLS.join(', '))
    .addHelpText('after', `
Prints the completion script for the shell; the completions/ folder of the package holds the same
files. On TAB the script asks \`spapi __complete\` for candidates: commands, flags, operation names
from the catalog in use (\`spapi catalog update\` included), after \`call <op> -p\` that operation's
parameter names and their documented values, marketplaces, regions, profiles, report and feed types.

Examples:
  spapi completion bash > ~/.local/share/bash-completion/completions/spapi
  echo 'source <(spapi completion bash)' >> ~/.bashrc
  mkdir -p ~/.zfunc && spapi completion zsh > ~/.zfunc/_spapi   # fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
  spapi completion fish > ~/.config/fish/completions/spapi.fish

Environment: SPAPI_BIN (read by the script on each TAB: the spapi executable to ask, default spapi on PATH).`)
    .action(async (shell) => run(context, { shell }));
}

export async function run({ factory }: CommandContext, options: CompletionOptions): Promise<void> {
  const shell = options.shell.toLowerCase();
  if (!isShell(shell)) {
    throw new UsageError(`no completion for the shell "${options.shell}"${didYouMeanSuffix(didYouMean(options.shell, SHELLS))}`, {
      hint: `spapi completion ${SHELLS.join('|')}, e.g. \`spapi completion bash > ~/.local/share/bash-completion/completions/spapi\``,
    });
  }
  factory.io.out(completionScript(shell));
}
